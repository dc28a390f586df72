"""Deprecated 1.2 factory `create_activemq_check`: use `Health().activemq_check(...)`."""

from ..._legacy import factory

create_activemq_check = factory(__name__, "activemq_check")
