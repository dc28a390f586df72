"""A login middleware of the kind third-party packages ship: every anonymous request goes to
the login page, whatever the view says (it does not honour `login_not_required`)."""

from django.conf import settings
from django.http import HttpResponseRedirect


class LoginWallMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.user.is_authenticated:
            return HttpResponseRedirect(f"{settings.LOGIN_URL}?next={request.path}")
        return self.get_response(request)
