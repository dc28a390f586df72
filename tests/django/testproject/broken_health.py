"""A health module whose registration raises: a URL with an unsupported scheme."""

from healthcheckx import Health

health = Health().redis_check("rdis://127.0.0.1:6379/0", name="cache")
