# api/health.py: the guide's `create_health()`, with the library reading DATABASES and CACHES
# (every alias, passwords percent-encoded) instead of hand-built URLs.
import os

from healthcheckx import Health


def create_health():
    """Create health checks based on Django settings"""
    # Database and cache servers, natively: "database" and "cache"
    health = Health.from_django_settings()

    # Django's own connection and cache framework, as the views use them: "django-db" (its
    # connection is closed after each run) and "django-cache"
    health.django_database_check()
    health.django_cache_check()

    # Additional checks from environment
    if rabbitmq_url := os.getenv("RABBITMQ_URL"):
        health.rabbitmq_check(rabbitmq_url, name="message-queue")

    if mongodb_url := os.getenv("MONGODB_URL"):
        health.mongodb_check(mongodb_url, name="mongodb")

    return health


# Create singleton instance
health = create_health()
