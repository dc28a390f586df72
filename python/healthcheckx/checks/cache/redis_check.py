"""Deprecated 1.2 factory `create_redis_check`: use `Health().redis_check(...)`."""

from ..._legacy import factory

create_redis_check = factory(__name__, "redis_check")
