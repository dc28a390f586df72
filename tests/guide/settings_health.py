from healthcheckx import Health
from django.conf import settings
import os

def create_health():
    """Create health checks based on Django settings"""
    health = Health()
    
    # Database check
    db_config = settings.DATABASES['default']
    if db_config['ENGINE'] == 'django.db.backends.postgresql':
        db_url = (
            f"postgresql://{db_config['USER']}:{db_config['PASSWORD']}"
            f"@{db_config['HOST']}:{db_config['PORT']}/{db_config['NAME']}"
        )
        health.postgresql_check(db_url, name="database")
    
    elif db_config['ENGINE'] == 'django.db.backends.mysql':
        db_url = (
            f"mysql://{db_config['USER']}:{db_config['PASSWORD']}"
            f"@{db_config['HOST']}:{db_config['PORT']}/{db_config['NAME']}"
        )
        health.mysql_check(db_url, name="database")
    
    # Cache check
    cache_config = settings.CACHES['default']
    if 'redis' in cache_config['BACKEND'].lower():
        redis_url = cache_config['LOCATION']
        health.redis_check(redis_url, name="cache")
    
    # Additional checks from environment
    if rabbitmq_url := os.getenv("RABBITMQ_URL"):
        health.rabbitmq_check(rabbitmq_url, name="message-queue")
    
    if mongodb_url := os.getenv("MONGODB_URL"):
        health.mongodb_check(mongodb_url, name="mongodb")
    
    return health

# Create singleton instance
health = create_health()
