"""System checks (`manage.py check`): a malformed `HEALTHCHECKX` setting, or a `Health` that
cannot be built (bad dotted path, bad URL), is reported with a hint before the first request."""

from __future__ import annotations

from typing import Any, List

from django.core.checks import CheckMessage, Error, Warning

from . import conf


def check_configuration(app_configs: Any = None, **kwargs: Any) -> List[CheckMessage]:
    messages: List[CheckMessage] = []
    try:
        unknown = conf.unknown_keys()
        if unknown:
            messages.append(
                Warning(
                    f"{conf.SETTING} has unknown key(s): {', '.join(unknown)}",
                    hint=f"Known keys: {', '.join(conf.KEYS)}.",
                    id="healthcheckx.W001",
                )
            )
        for view in conf.TAG_KEYS:
            conf.tags_for(view)
        conf.get_health()
    except conf.ConfigurationError as exc:
        messages.append(Error(exc.message, hint=exc.hint, id=exc.id))
    return messages
