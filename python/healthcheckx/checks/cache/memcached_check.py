"""Deprecated 1.2 factory `create_memcached_check`: use `Health().memcached_check(...)`."""

from ..._legacy import factory

create_memcached_check = factory(__name__, "memcached_check")
