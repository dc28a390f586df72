# api/views.py: the guide's views, all over the same `health`.
import os
from datetime import datetime

from django.http import JsonResponse
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from healthcheckx import django_health_view, overall_status
from rest_framework import status
from rest_framework.decorators import api_view
from rest_framework.response import Response
from rest_framework.views import APIView

from .health import health

# Health check view
health_check = django_health_view(health)


# Liveness probe - is the app alive?
def liveness(request):
    return JsonResponse({"status": "ok"})


# Readiness probe - is the app ready to serve traffic?
readiness = django_health_view(health)

# Startup probe - has the app finished starting?
startup = django_health_view(health)


# Custom Response Format
def custom_health_view(request):
    """Custom health check with additional metadata"""
    results = health.run()
    status = overall_status(results)

    response_data = {
        "application": "my-django-api",
        "version": "1.0.0",
        "status": status.value,
        "timestamp": datetime.utcnow().isoformat() + "Z",
        "environment": os.getenv("ENVIRONMENT", "development"),
        "services": [
            {
                "name": r.name,
                "healthy": r.status == "healthy",
                "responseTime": f"{r.duration_ms:.2f}ms",
                "error": r.message if r.message else None,
            }
            for r in results
        ],
    }

    status_code = 200 if status.value != "unhealthy" else 503
    return JsonResponse(response_data, status=status_code)


# Class-Based Views
class HealthCheckView(View):
    """Health check class-based view"""

    def get(self, request):
        results = health.run()
        status = overall_status(results)

        response_data = {
            "status": status.value,
            "checks": [
                {
                    "name": r.name,
                    "status": r.status.value,
                    "duration_ms": r.duration_ms,
                    "message": r.message,
                }
                for r in results
            ],
        }

        status_code = 200 if status.value != "unhealthy" else 503
        return JsonResponse(response_data, status=status_code)


# Django REST Framework Integration
@api_view(["GET"])
def health_check_view(request):
    """Health check endpoint using DRF"""
    results = health.run()
    health_status = overall_status(results)

    response_data = {
        "status": health_status.value,
        "checks": [
            {
                "name": r.name,
                "status": r.status.value,
                "duration_ms": r.duration_ms,
                "message": r.message,
            }
            for r in results
        ],
    }

    status_code = (
        status.HTTP_200_OK
        if health_status.value != "unhealthy"
        else status.HTTP_503_SERVICE_UNAVAILABLE
    )

    return Response(response_data, status=status_code)


class HealthCheckAPIView(APIView):
    """Health check API view"""

    permission_classes = []  # Public endpoint
    authentication_classes = []  # No auth required

    def get(self, request):
        results = health.run()
        health_status = overall_status(results)

        response_data = {
            "status": health_status.value,
            "checks": [
                {
                    "name": r.name,
                    "status": r.status.value,
                    "duration_ms": r.duration_ms,
                    "message": r.message,
                }
                for r in results
            ],
        }

        status_code = (
            status.HTTP_200_OK
            if health_status.value != "unhealthy"
            else status.HTTP_503_SERVICE_UNAVAILABLE
        )

        return Response(response_data, status=status_code)


# Troubleshooting: CSRF Token Errors
@csrf_exempt
def csrf_exempt_health_check(request):
    return django_health_view(health)(request)
