"""`Health.collector()`: the checks' metrics in a `prometheus_client` registry (optional)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterator, List

if TYPE_CHECKING:
    from ._health import Health


class HealthCollector:
    """A `prometheus_client` collector of a `Health`'s metrics (the engine renders them; each
    collection reads `Health.latest()`, so a scrape runs no check while results are at hand)."""

    def __init__(self, health: Health) -> None:
        self.health = health

    def collect(self) -> Iterator[Any]:
        from prometheus_client.parser import text_string_to_metric_families

        yield from text_string_to_metric_families(self.health.latest().render("prometheus"))

    def describe(self) -> List[Any]:
        # Nothing up front: registering must not run the checks.
        return []


def register_collector(health: Health, registry: Any = None) -> HealthCollector:
    try:
        from prometheus_client import REGISTRY
    except ImportError as exc:
        raise ImportError(
            "Health.collector() needs prometheus_client: pip install prometheus-client"
        ) from exc
    collector = HealthCollector(health)
    (REGISTRY if registry is None else registry).register(collector)
    return collector
