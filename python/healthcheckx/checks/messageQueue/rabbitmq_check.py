"""Deprecated 1.2 factory `create_rabbitmq_check`: use `Health().rabbitmq_check(...)`."""

from ..._legacy import factory

create_rabbitmq_check = factory(__name__, "rabbitmq_check")
