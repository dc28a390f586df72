"""A URLconf without any probe path."""

from django.urls import path

from . import views

urlpatterns = [path("ping/", views.ping)]
