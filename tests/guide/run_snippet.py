"""Runs one of the guide's health modules (copied verbatim beside this file) and prints its
results as JSON. Django is configured from HCX_GUIDE_* variables when the snippet needs it."""

import importlib
import json
import os
import sys

if os.getenv("HCX_GUIDE_DJANGO"):
    import django
    from django.conf import settings

    settings.configure(
        DATABASES={
            "default": {
                "ENGINE": os.environ["HCX_GUIDE_DB_ENGINE"],
                "NAME": os.environ["HCX_GUIDE_DB_NAME"],
                "USER": os.getenv("HCX_GUIDE_DB_USER", ""),
                "PASSWORD": os.getenv("HCX_GUIDE_DB_PASSWORD", ""),
                "HOST": os.getenv("HCX_GUIDE_DB_HOST", ""),
                "PORT": os.getenv("HCX_GUIDE_DB_PORT", ""),
            }
        },
        CACHES={
            "default": {
                "BACKEND": os.getenv(
                    "HCX_GUIDE_CACHE_BACKEND", "django.core.cache.backends.locmem.LocMemCache"
                ),
                "LOCATION": os.getenv("HCX_GUIDE_CACHE_LOCATION", ""),
            }
        },
    )
    django.setup()

sys.path.insert(0, os.path.dirname(__file__))
module = importlib.import_module(sys.argv[1])
results = module.health.run()
print(json.dumps([[r.name, r.status.value, r.message] for r in results]))
