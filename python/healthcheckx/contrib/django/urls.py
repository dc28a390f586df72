"""`path("", include("healthcheckx.contrib.django.urls"))`: the Kubernetes probes.

| path | name | answers |
|---|---|---|
| `health/` | `health` | every check (or `HEALTHCHECKX["HEALTH_TAGS"]`) |
| `healthz/` | `liveness` | 200 while the process serves requests; touches no service |
| `ready/` | `readiness` | every check (or `HEALTHCHECKX["READY_TAGS"]`) |
| `startup/` | `startup` | every check (or `HEALTHCHECKX["STARTUP_TAGS"]`) |
| `metrics/` | `metrics` | Prometheus / OpenMetrics text from the latest results |

The first three negotiate their body (`?format=`, then `Accept`): the guide's JSON by default.
"""

from django.urls import path

from . import views

urlpatterns = [
    path("health/", views.health, name="health"),
    path("healthz/", views.liveness, name="liveness"),
    path("ready/", views.readiness, name="readiness"),
    path("startup/", views.startup, name="startup"),
    path("metrics/", views.metrics, name="metrics"),
]
