"""Kept connections under Django's test environment.

Django's test runner, pytest-django and other runners built on `django.test.utils` create a test
database, run the tests, then drop it; PostgreSQL refuses to drop a database while another
session is connected to it. A `Health` built while the tests run checks the test database (the
runner renames the database in `settings.DATABASES` itself, so a URL built from the settings names
`test_<name>`), and a native check keeps its connection between runs. So, while
`django.test.utils.setup_test_environment()` is in force, the views of this package close the
connections of their `Health` once the response is built: each request of a test connects anew,
and nothing is left on the test database when the runner drops it. Outside tests nothing changes:
a check keeps its one connection.

Code that runs a `Health` in tests on its own (not through these views) closes it itself:
`health.close()` in `tearDown`, or `with Health(...) as health:`.
"""

from __future__ import annotations

import sys

from ..._health import Health


def in_test_environment() -> bool:
    """Whether `django.test.utils.setup_test_environment()` is in force (it is from the start of a
    test run to its end, under Django's runner and pytest-django alike).

    Costs two dictionary lookups (a fraction of a microsecond): `django.test.utils` is not
    imported when it is not loaded already (a process that never set up the test environment
    has nothing to find there).
    """
    utils = sys.modules.get("django.test.utils")
    if utils is None:
        return False
    # setup_test_environment() saves the settings it replaces on _TestState.saved_data, and
    # teardown_test_environment() deletes it. (A look in the class's dict: no exception raised
    # and caught, as hasattr() does for a missing attribute.)
    state = getattr(utils, "_TestState", None)
    return state is not None and "saved_data" in state.__dict__


def close_under_tests(health: Health) -> None:
    """Closes the kept connections of `health` when running under the test environment."""
    if in_test_environment():
        health.close()
