from healthcheckx import Health
import os

health = Health()

# Register checks from settings
if redis_url := os.getenv("REDIS_URL"):
    health.redis_check(redis_url, name="redis")

if db_url := os.getenv("DATABASE_URL"):
    health.postgresql_check(db_url, name="database")
