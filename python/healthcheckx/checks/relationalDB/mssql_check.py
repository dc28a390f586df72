"""Deprecated 1.2 factory `create_mssql_check`: use `Health().mssql_check(...)`."""

from ..._legacy import factory

create_mssql_check = factory(__name__, "mssql_check")
