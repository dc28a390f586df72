"""healthcheckx 1.2's `healthcheckx.exceptions`, which defined nothing: deprecated.

A configuration error (a URL that cannot be parsed, `None` from an unset variable) raises
`ValueError` at registration; a failing service is a result, never an exception.
"""

from ._legacy import warn_moved

__all__: list[str] = []

warn_moved("healthcheckx.exceptions", "it defines nothing; bad configuration raises ValueError")
