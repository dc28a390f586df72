from django.http import JsonResponse
from healthcheckx import django_health_view
from .health import health

# Health check view
health_check = django_health_view(health)

# Liveness probe (simple alive check)
def liveness(request):
    return JsonResponse({"status": "ok"})

# Readiness probe (all services check)
readiness = django_health_view(health)
