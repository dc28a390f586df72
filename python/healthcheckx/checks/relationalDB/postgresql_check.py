"""Deprecated 1.2 factory `create_postgresql_check`: use `Health().postgresql_check(...)`."""

from ..._legacy import factory

create_postgresql_check = factory(__name__, "postgresql_check")
