"""Deprecated 1.2 factory `create_oracle_check`: use `Health().oracle_check(...)`."""

from ..._legacy import factory

create_oracle_check = factory(__name__, "oracle_check")
