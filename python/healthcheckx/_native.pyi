"""The native engine (Rust). Private: use `healthcheckx.Health`."""

from typing import Any, Callable, List, Optional, Tuple

from typing_extensions import final

__all__ = [
    "NativeHealth",
    "NativeReport",
    "__version__",
    "cli_main",
    "content_type",
    "formats",
    "negotiate",
    "negotiate_metrics",
]

__version__: str

@final
class NativeHealth:
    def __new__(
        cls,
        *,
        timeout: Optional[float] = None,
        cache_ttl: float = 0.0,
        refresh_interval: Optional[float] = None,
        deadline: Optional[float] = None,
    ) -> NativeHealth: ...
    def add_check(
        self,
        kind: str,
        target: Optional[str],
        *,
        name: Optional[str] = None,
        timeout: Optional[float] = None,
        critical: bool = True,
        tags: List[str] = ...,
        damping: Tuple[int, int] = ...,
        port: int = 0,
        expect_status: int = 200,
        min_free_percent: float = 10.0,
        warn_percent: Optional[float] = None,
    ) -> None: ...
    def add_url(
        self,
        url: Optional[str],
        *,
        name: Optional[str] = None,
        timeout: Optional[float] = None,
        critical: bool = True,
        tags: List[str] = ...,
        damping: Tuple[int, int] = ...,
    ) -> None: ...
    def add_callable(
        self,
        func: Callable[[], Any],
        runner: Callable[..., Tuple[Optional[str], str, Optional[str]]],
        fallback_name: str,
        *,
        name: Optional[str] = None,
        timeout: Optional[float] = None,
        critical: bool = True,
        tags: List[str] = ...,
        damping: Tuple[int, int] = ...,
    ) -> None: ...
    def run(
        self, tags: Optional[List[str]] = None, deadline: Optional[float] = None
    ) -> List[Tuple[str, str, Optional[str], float]]: ...
    def run_async(
        self,
        tags: Optional[List[str]],
        event_loop: Any,
        complete: Callable[[NativeReport], None],
        deadline: Optional[float] = None,
    ) -> None: ...
    def report(
        self, tags: Optional[List[str]] = None, deadline: Optional[float] = None
    ) -> NativeReport: ...
    def latest(self) -> NativeReport: ...
    def on_change(self, callback: Callable[[str, str, str, Optional[str]], object]) -> None: ...
    def stop_refresh(self) -> None: ...
    def close(self) -> None: ...
    def names(self) -> List[str]: ...
    def __len__(self) -> int: ...

@final
class NativeReport:
    def results(self) -> List[Tuple[str, str, Optional[str], float]]: ...
    def status(self) -> str: ...
    def http_status(self) -> int: ...
    def render(self, format: str, show_details: bool = True) -> str: ...
    def finished(self) -> int: ...
    def __len__(self) -> int: ...

def formats() -> List[str]: ...
def negotiate(
    accept: Optional[str], format: Optional[str] = None
) -> Tuple[Optional[str], Optional[str]]: ...
def negotiate_metrics(accept: Optional[str]) -> str: ...
def content_type(format: str) -> str: ...
def cli_main(argv: List[str]) -> int: ...
