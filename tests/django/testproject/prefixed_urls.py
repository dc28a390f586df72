"""A URLconf with the app's probes under prefixes, for the discovery of the probe paths."""

from django.urls import include, path, re_path

from . import views

urlpatterns = [
    # Shadows the app's health/ below: Django routes /ops/health/ here, so it is no probe path.
    path("ops/health/", views.ping),
    path("ops/", include("healthcheckx.contrib.django.urls")),
    re_path(r"^legacy/v1\.0/", include("healthcheckx.contrib.django.urls")),
    path("<slug:tenant>/", include("healthcheckx.contrib.django.urls")),
    path("wrapped/", views.health_check),
    path("ready-only/", views.ready_only),
]
