"""Views of the test project that wrap the library's."""

from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from healthcheckx import django_health_view

from .health import failing, health


async def ping(request):
    """Answers on the event loop at once (ASGI): proves the loop is free."""
    return JsonResponse({"pong": True})


# The guide's troubleshooting snippet: a sync view that calls the adapter.
@csrf_exempt
def health_check(request):
    return django_health_view(health)(request)


# The same from an `async def` view.
async def async_health_check(request):
    return await django_health_view(health)(request)


ready_only = django_health_view(health, tags=["ready"])
failing_view = django_health_view(failing)
