"""The `HEALTHCHECKX` setting of the Django app, and the `Health` it names.

```python
HEALTHCHECKX = {
    "HEALTH": "api.health.health",  # a Health, or a function returning one
    "READY_TAGS": ["ready"],        # optional: the checks /ready/ runs (default: all)
    "DEADLINE": 0.8,                # optional: seconds the app's views answer within
    "SHOW_DETAILS": "always",       # optional: "never", or a function of the request (or its
}                                   # dotted path) answering whether it may see messages
```

Without `HEALTH`, the app checks every database and cache of the settings
(`Health.from_django_settings()`). The `Health` is built once per process, on first use.

`DEADLINE` (default 0.8 s, `None` for none): the app's `health/`, `ready/` and `startup/` answer
within it, whatever the checks' own timeouts (2 or 3 s); a check still running then is reported
`timed out after 0.8s` and the answer is 503. The default sits below the shortest common probe
timeout, Kubernetes' default `timeoutSeconds: 1`, leaving 0.2 s for the request itself: a hung
service shows up as a 503 naming it, not as a probe timeout with no reason and a worker held.
"""

from __future__ import annotations

import threading
from typing import Any, Callable, Dict, List, Optional, Union, cast

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.utils.module_loading import import_string

from ..._health import Health

SETTING = "HEALTHCHECKX"
TAG_KEYS = {"health": "HEALTH_TAGS", "readiness": "READY_TAGS", "startup": "STARTUP_TAGS"}
KEYS = ("HEALTH", *TAG_KEYS.values(), "DEADLINE", "SHOW_DETAILS")
DEFAULT_DEADLINE = 0.8
HEALTH_HINT = (
    "HEALTHCHECKX['HEALTH'] is the dotted path of a Health, or of a function returning one, "
    "e.g. 'api.health.health'."
)


class ConfigurationError(ImproperlyConfigured):
    """A malformed `HEALTHCHECKX` setting, or a `Health` that cannot be built from it.

    `id` and `hint` are those of the system check that reports it (`manage.py check`).
    """

    def __init__(self, message: str, *, id: str, hint: Optional[str] = None) -> None:
        super().__init__(message)
        self.message = message
        self.id = id
        self.hint = hint


def options() -> Dict[str, Any]:
    """The `HEALTHCHECKX` setting (an empty dict when unset)."""
    value = getattr(settings, SETTING, None)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ConfigurationError(
            f"{SETTING} must be a dict, not {type(value).__name__}",
            id="healthcheckx.E001",
            hint='HEALTHCHECKX = {"HEALTH": "api.health.health"}',
        )
    return value


def unknown_keys() -> List[str]:
    return sorted(str(key) for key in options() if key not in KEYS)


def tags_for(view: str) -> Optional[List[str]]:
    """The tags selecting the checks of one of the app's views (`None`: every check)."""
    key = TAG_KEYS[view]
    value = options().get(key)
    if value is None:
        return None
    if isinstance(value, str):
        return [value]
    if isinstance(value, (list, tuple, set, frozenset)) and all(isinstance(t, str) for t in value):
        return sorted(value) if isinstance(value, (set, frozenset)) else list(value)
    raise ConfigurationError(
        f"{SETTING}['{key}'] must be a list of tags, not {value!r}",
        id="healthcheckx.E005",
        hint=f'e.g. {SETTING}["{key}"] = ["ready"], or leave it out to run every check',
    )


def deadline() -> Optional[float]:
    """The seconds the app's views answer within (`HEALTHCHECKX["DEADLINE"]`, `None`: none)."""
    value = options().get("DEADLINE", DEFAULT_DEADLINE)
    if value is None:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 0 < value < 1e9:
        return float(value)
    raise ConfigurationError(
        f"{SETTING}['DEADLINE'] must be a positive number of seconds or None, not {value!r}",
        id="healthcheckx.E006",
        hint=f"e.g. {SETTING}['DEADLINE'] = 0.8 (below the probe's timeoutSeconds), or None",
    )


def _imported(key: str, path: str, id: str, hint: str) -> Any:
    """What the dotted `path` of setting `key` names, or the error saying it does not import."""
    try:
        return import_string(path)
    except ImportError as exc:
        raise ConfigurationError(
            f"{SETTING}['{key}'] = {path!r} cannot be imported: {exc}", id=id, hint=hint
        ) from None


def show_details() -> Union[str, Callable[[Any], bool]]:
    """Who sees messages and durations (`HEALTHCHECKX["SHOW_DETAILS"]`): `"always"` (the
    default), `"never"`, or a function of the request, given itself or as a dotted path."""
    value: Any = options().get("SHOW_DETAILS", "always")
    if value in ("always", "never") or callable(value):
        return cast(Union[str, Callable[[Any], bool]], value)
    hint = (
        f'{SETTING}["SHOW_DETAILS"] = "never", or the dotted path of a function of the request, '
        'e.g. "api.health.is_staff"'
    )
    if isinstance(value, str) and "." in value:
        target = _imported("SHOW_DETAILS", value, "healthcheckx.E007", hint)
        if callable(target):
            return cast(Callable[[Any], bool], target)
    raise ConfigurationError(
        f'{SETTING}[\'SHOW_DETAILS\'] must be "always", "never" or a function of the request, '
        f"not {value!r}",
        id="healthcheckx.E007",
        hint=hint,
    )


def build_health() -> Health:
    """Resolves `HEALTHCHECKX['HEALTH']` (or builds from DATABASES and CACHES), uncached."""
    path = options().get("HEALTH")
    if path is None:
        try:
            return Health.from_django_settings()
        except (ValueError, TypeError) as exc:
            raise ConfigurationError(
                f"cannot build the health checks from DATABASES and CACHES: {exc}",
                id="healthcheckx.E003",
                hint="Fix that entry of the settings, or name your own Health in "
                "HEALTHCHECKX['HEALTH'].",
            ) from None
    if not isinstance(path, str) or "." not in path:
        raise ConfigurationError(
            f"{SETTING}['HEALTH'] must be a dotted path, not {path!r}",
            id="healthcheckx.E002",
            hint=HEALTH_HINT,
        )
    try:
        target = _imported("HEALTH", path, "healthcheckx.E002", HEALTH_HINT)
    except ConfigurationError:
        raise
    except Exception as exc:
        # Raised while the module registers its checks: a bad URL, an unset variable.
        raise _broken(path, exc) from None
    if isinstance(target, Health):
        return target
    if callable(target):
        try:
            target = target()
        except Exception as exc:
            raise _broken(path, exc) from None
        if isinstance(target, Health):
            return target
    raise ConfigurationError(
        f"{SETTING}['HEALTH'] = {path!r} is a {type(target).__name__}, not a Health",
        id="healthcheckx.E004",
        hint=HEALTH_HINT,
    )


def _broken(path: str, exc: BaseException) -> ConfigurationError:
    return ConfigurationError(
        f"{SETTING}['HEALTH'] = {path!r} could not be built: {exc}",
        id="healthcheckx.E003",
        hint="Fix the check it names: its URL, or the setting or environment variable that "
        "URL is read from.",
    )


_lock = threading.Lock()
_health: Optional[Health] = None


def get_health() -> Health:
    """The `Health` of the app: built on first use, then shared by every view and thread."""
    global _health
    health = _health
    if health is None:
        with _lock:
            if _health is None:
                _health = build_health()
            health = _health
    return health


def reset(**kwargs: Any) -> None:
    """Forgets the built `Health` (when a test overrides a setting it depends on)."""
    global _health
    if kwargs.get("setting") in (None, SETTING, "DATABASES", "CACHES"):
        with _lock:
            _health = None


setting_changed.connect(reset, dispatch_uid="healthcheckx.contrib.django.conf.reset")
