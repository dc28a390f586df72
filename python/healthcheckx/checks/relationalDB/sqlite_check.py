"""Deprecated 1.2 factory `create_sqlite_check`: use `Health().sqlite_check(...)`."""

from ..._legacy import factory

create_sqlite_check = factory(__name__, "sqlite_check")
