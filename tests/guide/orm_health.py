# api/health.py
from healthcheckx import Health, CheckResult, HealthStatus
from django.db import connection
from django.conf import settings

health = Health()

def django_db_check() -> CheckResult:
    """Check database using Django's connection"""
    try:
        # Execute simple query
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return CheckResult("django-db", HealthStatus.healthy)
    except Exception as e:
        return CheckResult("django-db", HealthStatus.unhealthy, str(e))

# Register custom check
health.register(django_db_check)

# Also add standard checks
db_config = settings.DATABASES['default']
if db_config['ENGINE'] == 'django.db.backends.postgresql':
    db_url = (
        f"postgresql://{db_config['USER']}:{db_config['PASSWORD']}"
        f"@{db_config['HOST']}:{db_config['PORT']}/{db_config['NAME']}"
    )
    health.postgresql_check(db_url, name="database")
