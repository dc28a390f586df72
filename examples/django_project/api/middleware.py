# api/middleware.py
from django.http import JsonResponse
from healthcheckx import overall_status
from .health import health
import time

class HealthCheckMiddleware:
    """Middleware to log health check requests"""
    
    def __init__(self, get_response):
        self.get_response = get_response
    
    def __call__(self, request):
        if request.path == '/health/':
            start_time = time.time()
            response = self.get_response(request)
            duration = time.time() - start_time
            
            # Log health check
            print(f"Health check: {response.status_code} in {duration:.3f}s")
            
            return response
        
        return self.get_response(request)
