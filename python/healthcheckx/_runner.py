"""Runs custom Python checks for the engine.

The engine calls `call_check` from one of its worker threads (GIL taken there, released by the
caller of `Health.run()`). Coroutines run on the loop of the `arun()` caller that started the run;
for `run()`, on one event loop owned by this module, in a daemon thread started on first use and
rebuilt after `fork()`.
"""

from __future__ import annotations

import inspect
import os
import sys
import threading
from typing import TYPE_CHECKING, Any, Awaitable, Callable, Optional, Tuple

if TYPE_CHECKING:  # asyncio costs ~40 ms to import: imported when a coroutine check runs
    import asyncio

from ._result import CheckResult, HealthStatus, _engine_message

_lock = threading.Lock()
_loop: Optional[asyncio.AbstractEventLoop] = None
_loop_pid: Optional[int] = None


def _forget_after_fork() -> None:
    # The loop's thread does not exist in a forked child, and another thread may have held the
    # lock at the moment of the fork: start both afresh there.
    global _lock, _loop, _loop_pid
    _lock, _loop, _loop_pid = threading.Lock(), None, None


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_after_fork)


def _background_loop() -> asyncio.AbstractEventLoop:
    global _loop, _loop_pid
    with _lock:
        if _loop is None or _loop_pid != os.getpid():
            import asyncio

            loop = asyncio.new_event_loop()
            thread = threading.Thread(
                target=loop.run_forever, name="healthcheckx-async", daemon=True
            )
            thread.start()
            _loop, _loop_pid = loop, os.getpid()
        return _loop


def _await(
    awaitable: Awaitable[Any], timeout: float, loop: Optional[asyncio.AbstractEventLoop]
) -> Any:
    async def wrapper() -> Any:
        return await awaitable

    import asyncio

    future = asyncio.run_coroutine_threadsafe(wrapper(), loop or _background_loop())
    try:
        return future.result(timeout)
    except TimeoutError:
        future.cancel()
        raise TimeoutError(f"timed out after {timeout:.1f}s") from None


def _describe(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return text or type(exc).__name__


def _release_django_connections() -> None:
    # Django opens one database connection per thread; a check that used the ORM from this
    # worker thread would otherwise leave it open (the classic leak of health-check libraries).
    db = sys.modules.get("django.db")
    if db is not None:
        try:
            db.connections.close_all()
        except Exception:
            pass


def call_check(
    func: Callable[[], Any],
    timeout: float,
    loop: Optional[asyncio.AbstractEventLoop] = None,
) -> Tuple[Optional[str], str, Optional[str]]:
    """Calls `func` and reports `(name, status, message)`; exceptions become unhealthy.

    A coroutine is awaited on `loop` (the `arun()` caller's) when given and still open."""
    if loop is not None and loop.is_closed():
        loop = None
    try:
        result = func()
        if inspect.isawaitable(result):
            result = _await(result, timeout, loop)
    except Exception as exc:  # a check must never take the endpoint down
        return None, HealthStatus.unhealthy.value, _describe(exc)
    finally:
        _release_django_connections()
    if isinstance(result, CheckResult):
        return result.name or None, HealthStatus(result.status).value, _engine_message(result)
    if isinstance(result, bool):
        return (
            None,
            ("healthy" if result else "unhealthy"),
            None if result else "check returned False",
        )
    return (
        None,
        HealthStatus.unhealthy.value,
        f"check returned {type(result).__name__}, expected CheckResult",
    )
