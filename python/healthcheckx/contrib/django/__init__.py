"""Django integration: `django_health_view` (see `healthcheckx.contrib.django.views`)."""
