# api/urls.py
from django.urls import path

from . import views

app_name = "api"

urlpatterns = [
    path("health/", views.health_check, name="health"),
    path("healthz/", views.liveness, name="liveness"),
    path("ready/", views.readiness, name="readiness"),
    path("startup/", views.startup, name="startup"),
    # The guide's other ways of answering the same checks
    path("health/custom/", views.custom_health_view, name="health-custom"),
    path("health/class/", views.HealthCheckView.as_view(), name="health-class"),
    path("health/drf/", views.health_check_view, name="health-drf"),
    path("health/drf-class/", views.HealthCheckAPIView.as_view(), name="health-drf-class"),
    path("health/csrf-exempt/", views.csrf_exempt_health_check, name="health-csrf-exempt"),
]
