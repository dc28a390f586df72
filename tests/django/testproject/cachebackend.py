"""A cache backend that `from_django_settings()` does not know: checked through Django."""

from django.core.cache.backends.locmem import LocMemCache


class Backend(LocMemCache):
    pass
