"""Deprecated 1.2 factory `create_mysql_check`: use `Health().mysql_check(...)`."""

from ..._legacy import factory

create_mysql_check = factory(__name__, "mysql_check")
