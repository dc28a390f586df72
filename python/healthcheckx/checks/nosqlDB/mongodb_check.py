"""Deprecated 1.2 factory `create_mongodb_check`: use `Health().mongodb_check(...)`."""

from ..._legacy import factory

create_mongodb_check = factory(__name__, "mongodb_check")
