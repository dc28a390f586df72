"""ActiveMQ check against two real STOMP brokers and a real OpenWire one: ActiveMQ (STOMP 61613,
OpenWire 61616, user hcx) and RabbitMQ's STOMP plugin (61623, users guest and hcx). A STOMP
CONNECT must be answered by CONNECTED and the session is kept; OpenWire reads the broker's
greeting on a fresh connection each run."""

from __future__ import annotations

import urllib.parse

import checkhelpers
import pytest
import servers
from checkhelpers import require_services
from healthcheckx import Health

KEYS = (
    "HCX_ACTIVEMQ_STOMP_URL",
    "HCX_ACTIVEMQ_STOMP_AUTH_URL",
    "HCX_ACTIVEMQ_OPENWIRE_URL",
    "HCX_RABBITMQ_STOMP_URL",
    "HCX_RABBITMQ_STOMP_AUTH_URL",
)


@pytest.fixture(scope="module")
def urls(services) -> dict[str, str]:
    return require_services(services, *KEYS)


def _port(url: str) -> int:
    port = urllib.parse.urlsplit(url).port
    assert port is not None
    return port


@pytest.mark.parametrize(
    "form",
    [
        "activemq stomp",
        "activemq stomp with credentials",
        "activemq openwire",
        "bare host:61613 (stomp)",
        "bare host:port (openwire)",
        "rabbitmq stomp",
        "rabbitmq stomp with credentials and vhost",
    ],
)
def test_healthy_in_every_url_form(urls, form):
    openwire = _port(urls["HCX_ACTIVEMQ_OPENWIRE_URL"])
    url = {
        "activemq stomp": urls["HCX_ACTIVEMQ_STOMP_URL"],
        "activemq stomp with credentials": urls["HCX_ACTIVEMQ_STOMP_AUTH_URL"],
        "activemq openwire": urls["HCX_ACTIVEMQ_OPENWIRE_URL"],
        "bare host:61613 (stomp)": "127.0.0.1:61613",
        "bare host:port (openwire)": f"127.0.0.1:{openwire}",
        "rabbitmq stomp": urls["HCX_RABBITMQ_STOMP_URL"],
        "rabbitmq stomp with credentials and vhost": urls["HCX_RABBITMQ_STOMP_AUTH_URL"],
    }[form]
    health = Health().activemq_check(url)
    for _ in range(3):  # the first run connects, the next ones reuse the session
        result = checkhelpers.run_one(health)
        checkhelpers.assert_healthy(result, "activemq")
        assert result.duration_ms < 2000


def test_refusals_other_than_credentials_say_what_the_broker_said(urls):
    parts = urllib.parse.urlsplit(urls["HCX_RABBITMQ_STOMP_URL"])
    result = checkhelpers.run_one(
        Health().activemq_check(urllib.parse.urlunsplit(parts._replace(path="/nope")))
    )
    checkhelpers.assert_unhealthy(
        result, "STOMP error: Bad CONNECT: Virtual host 'nope' access denied"
    )


def test_a_protocol_mismatch_is_named(urls):
    openwire = _port(urls["HCX_ACTIVEMQ_OPENWIRE_URL"])
    stomp = _port(urls["HCX_ACTIVEMQ_STOMP_URL"])
    health = (
        Health()
        .activemq_check(f"stomp://127.0.0.1:{openwire}", name="stomp on openwire")
        .activemq_check(f"stomp+ssl://127.0.0.1:{stomp}", name="tls on plain stomp")
        .activemq_check(f"ssl://127.0.0.1:{openwire}", name="tls on plain openwire")
        .activemq_check("stomp://no-such-host.invalid:61613", name="dns")
    )
    mismatch, tls_stomp, tls_openwire, dns = health.run()
    # The OpenWire port greets first, then resets the connection on the STOMP frame: which of the
    # two the check sees first is a race on the broker's side.
    checkhelpers.assert_unhealthy(mismatch)
    assert mismatch.message in (
        "the server does not speak STOMP (invalid frame)",
        "Connection reset by peer",
    ), mismatch
    for result in (tls_stomp, tls_openwire):
        checkhelpers.assert_unhealthy(result)
        assert result.message.startswith("TLS error: "), result
    checkhelpers.assert_unhealthy(dns, 'name resolution failed for "no-such-host.invalid"')


def test_one_stomp_session_is_kept_and_reused(urls):
    url = urls["HCX_ACTIVEMQ_STOMP_AUTH_URL"]
    health = Health().activemq_check(url)
    seen = []
    for _ in range(10):
        checkhelpers.assert_healthy(checkhelpers.run_one(health))
        seen.append(checkhelpers.connections_to(_port(url)))
    assert len(seen[0]) == 1, seen[0]
    assert all(ports == seen[0] for ports in seen), seen


def test_openwire_runs_leave_no_connection_open(urls):
    url = urls["HCX_ACTIVEMQ_OPENWIRE_URL"]
    health = Health().activemq_check(url)
    for _ in range(5):
        checkhelpers.assert_healthy(checkhelpers.run_one(health))
    assert checkhelpers.settle(lambda: len(checkhelpers.connections_to(_port(url))), 0) == 0


def test_broker_stopped_then_started_is_seen_by_the_same_registration(urls, rabbitmq_app):
    # RabbitMQ's STOMP listener stops and starts with the broker's application, in seconds;
    # ActiveMQ takes far longer to start and stays up for the whole session.
    url = urls["HCX_RABBITMQ_STOMP_AUTH_URL"]
    health = Health().activemq_check(url, timeout=2)
    checkhelpers.assert_healthy(checkhelpers.run_one(health))
    rabbitmq_app.stop()
    servers.wait_for_port(_port(url), accepting=False, timeout=60, what="RabbitMQ STOMP")
    down = checkhelpers.run_one(health)
    checkhelpers.assert_unhealthy(down, "Connection refused")
    rabbitmq_app.start()
    servers.wait_for_port(_port(url), timeout=60, what="RabbitMQ STOMP")
    up = checkhelpers.run_one(health)
    checkhelpers.assert_healthy(up)


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("amqp://admin:hunter2@127.0.0.1:5672/", 'unsupported URL scheme "amqp"'),
        ("tcp://admin:hunter2@127.0.0.1:61616", "cannot carry credentials"),
        ("failover:(tcp://a:61616,tcp://b:61616)", "failover: and discovery: URLs"),
        ("localhost", "expected stomp://host:port"),
        ("localhost:notaport", "invalid port"),
        ("stomp://admin:hunter2@:61613", "empty host"),
        ("", "the broker URL is empty"),
    ],
)
def test_bad_configuration_is_a_value_error_naming_the_check(url, problem):
    with pytest.raises(ValueError) as caught:
        Health().activemq_check(url, name="broker")
    text = str(caught.value)
    assert text.startswith('check "broker": '), text
    assert problem in text, text
    assert "hunter2" not in text


def test_an_unset_url_is_a_value_error():
    with pytest.raises(ValueError, match='"activemq"'):
        Health().activemq_check(None)
