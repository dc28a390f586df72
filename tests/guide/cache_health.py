from healthcheckx import Health, CheckResult, HealthStatus
from django.core.cache import cache

health = Health()

def django_cache_check() -> CheckResult:
    """Check cache using Django's cache framework"""
    try:
        # Test cache set/get
        test_key = "__healthcheck__"
        test_value = "ok"
        
        cache.set(test_key, test_value, 10)
        result = cache.get(test_key)
        cache.delete(test_key)
        
        if result == test_value:
            return CheckResult("django-cache", HealthStatus.healthy)
        else:
            return CheckResult(
                "django-cache",
                HealthStatus.unhealthy,
                "Cache read/write failed"
            )
    except Exception as e:
        return CheckResult("django-cache", HealthStatus.unhealthy, str(e))

health.register(django_cache_check)
