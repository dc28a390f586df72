"""The native engine (Rust). Private: use `healthcheckx.Health`."""

from typing import Any, Callable, List, Optional, Tuple

from typing_extensions import final

__all__ = ["NativeHealth", "__version__"]

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
    ) -> None: ...
    def run(
        self, tags: Optional[List[str]] = None, deadline: Optional[float] = None
    ) -> List[Tuple[str, str, Optional[str], float]]: ...
    def run_async(
        self,
        tags: Optional[List[str]],
        event_loop: Any,
        complete: Callable[[List[Tuple[str, str, Optional[str], float]]], None],
        deadline: Optional[float] = None,
    ) -> None: ...
    def stop_refresh(self) -> None: ...
    def close(self) -> None: ...
    def names(self) -> List[str]: ...
    def __len__(self) -> int: ...
