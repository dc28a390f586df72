"""Deprecated 1.2 factory `create_kafka_check`: use `Health().kafka_check(...)`."""

from ..._legacy import factory

create_kafka_check = factory(__name__, "kafka_check")
