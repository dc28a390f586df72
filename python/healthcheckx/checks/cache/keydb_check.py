"""Deprecated 1.2 factory `create_keydb_check`: use `Health().keydb_check(...)`."""

from ..._legacy import factory

create_keydb_check = factory(__name__, "keydb_check")
