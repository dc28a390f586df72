from django.urls import include, path

from . import views

urlpatterns = [
    path("", include("healthcheckx.contrib.django.urls")),
    path("ping/", views.ping),
    path("wrapped/", views.health_check),
    path("wrapped-async/", views.async_health_check),
    path("ready-only/", views.ready_only),
    path("failing/", views.failing_view),
]
