"""`Health.check(url)`: the scheme picks the kind of check, against the real servers."""

from __future__ import annotations

import pytest
from checkhelpers import assert_healthy, assert_unhealthy, run_one
from healthcheckx import Health


def test_each_scheme_makes_its_kind_of_check(services, tmp_path):
    database = tmp_path / "app.db"
    database.write_bytes(b"")
    health = (
        Health()
        .check(services["HCX_REDIS_URL"])
        .check(services["HCX_POSTGRES_URL"], name="database")
        .check(f"sqlite:///{database}")
        .check("tcp://127.0.0.1:6379", tags=["ready"])
        .check("disk:///?min_free_percent=1")
    )
    assert health.names == ["redis", "database", "sqlite", "tcp", "disk"]
    results = health.run()
    for result in results:
        assert_healthy(result)
    assert [r.name for r in health.run(tags=["ready"])] == ["tcp"]


def test_a_dead_service_by_url_is_unhealthy(closed_port):
    result = run_one(Health().check(f"tcp://127.0.0.1:{closed_port}", timeout=1))
    assert_unhealthy(result, "Connection refused")


@pytest.mark.parametrize(
    "url, message",
    [
        ("gopher://u:hunter22@host", 'unsupported URL scheme "gopher"'),
        ("tcp://127.0.0.1", "names no port"),
        ("disk:///?min_free_percent=lots", "must be a number"),
        (None, "no URL given"),
    ],
)
def test_bad_urls_are_value_errors_without_secrets(url, message):
    with pytest.raises(ValueError, match=message) as raised:
        Health().check(url, name="dependency")
    assert "hunter22" not in str(raised.value)
    assert 'check "dependency"' in str(raised.value)
