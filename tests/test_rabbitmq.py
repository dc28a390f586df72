"""RabbitMQ check against the machine's broker: an AMQP connection with a channel opened, kept
and reused across runs, failures named by their cause, nothing leaked by abandoned connects."""

from __future__ import annotations

import json
import subprocess
import urllib.parse

import checkhelpers
import pytest
from healthcheckx import Health, HealthStatus


def _list_connections(*items: str) -> list[dict]:
    out = subprocess.run(
        ["rabbitmqctl", "-q", "list_connections", "peer_port", *items, "--formatter", "json"],
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    ).stdout
    return json.loads(out)


def _broker_connections() -> dict[int, str]:
    """Client port -> connection name, for every connection the broker has open."""
    listed = {}
    for conn in _list_connections("client_properties"):
        props = {key: value for key, _type, value in conn["client_properties"]}
        listed[conn["peer_port"]] = props.get("connection_name", "")
    return listed


def _broker_side(port: int) -> tuple[int, int]:
    """(channels open, frames received) on the broker for the connection from client `port`."""
    for conn in _list_connections("channels", "recv_cnt"):
        if conn["peer_port"] == port:
            return conn["channels"], conn["recv_cnt"]
    raise AssertionError(f"the broker has no connection from port {port}")


@pytest.mark.parametrize(
    "form",
    ["vhost %2F", "named vhost", "no path", "empty path"],
)
def test_healthy_against_the_broker_in_every_url_form(services, form):
    guest = "amqp://guest:guest@127.0.0.1:5672"
    url = {
        "vhost %2F": services["HCX_AMQP_URL"],
        "named vhost": services["HCX_AMQP_AUTH_URL"],  # vhost "hcx", user hcx with a password
        "no path": guest,  # the default vhost "/"
        # What pika, the predecessor's driver, and kombu read as the default vhost "/".
        "empty path": guest + "/",
    }[form]
    result = checkhelpers.run_one(Health().rabbitmq_check(url, timeout=2))
    assert result.name == "rabbitmq"
    assert result.status is HealthStatus.healthy
    assert result.message is None
    assert result.error is None
    assert 0 < result.duration_ms < 2000


def test_missing_vhost_is_named():
    health = (
        Health()
        .rabbitmq_check("amqp://guest:guest@127.0.0.1:5672/nope", name="plain")
        .rabbitmq_check("amqp://guest:guest@127.0.0.1:5672/no%2Fpe", name="encoded")
    )
    plain, encoded = health.run()
    assert plain.status is HealthStatus.unhealthy
    assert plain.message == 'vhost "nope" does not exist'
    # The message shows the vhost as the broker knows it, percent-decoded.
    assert encoded.message == 'vhost "no/pe" does not exist'


def test_unresolvable_host_and_tls_on_a_plain_port_are_named():
    health = (
        Health()
        .rabbitmq_check("amqp://guest:guest@no-such-host.invalid/", name="dns")
        .rabbitmq_check("amqps://guest:guest@127.0.0.1:5672/", name="tls")
    )
    dns, tls = health.run()
    assert dns.message == 'name resolution failed for "no-such-host.invalid"'
    assert tls.status is HealthStatus.unhealthy
    assert tls.message.startswith("TLS error: "), tls.message


def test_one_connection_is_kept_and_reused(services):
    url = services["HCX_AMQP_URL"]
    health = Health().rabbitmq_check(url)
    seen = []
    for _ in range(10):
        assert checkhelpers.run_one(health).status is HealthStatus.healthy
        seen.append(checkhelpers.connections_to(urllib.parse.urlsplit(url).port))
    assert len(seen[0]) == 1, seen[0]
    assert all(ports == seen[0] for ports in seen), seen
    (port,) = seen[0]
    assert _broker_connections().get(port) == "healthcheckx"


def test_one_channel_is_kept_and_every_run_is_a_round_trip_on_it(services):
    url = services["HCX_AMQP_URL"]
    health = Health().rabbitmq_check(url)
    assert checkhelpers.run_one(health).status is HealthStatus.healthy
    (port,) = checkhelpers.connections_to(urllib.parse.urlsplit(url).port)
    channels, received = _broker_side(port)
    assert channels == 1
    for _ in range(20):
        assert checkhelpers.run_one(health).status is HealthStatus.healthy
    channels, received_after = _broker_side(port)
    # Still the one channel (not one opened and closed per run), and the broker read at least one
    # frame per run: each run asked the broker, none was answered from what the client knew.
    assert channels == 1
    assert received_after - received >= 20


@pytest.mark.servers  # a silent listener of its own
def test_abandoned_connects_leak_no_socket_and_no_thread():
    # lapin runs each connection's I/O on a thread of its own: a handshake that is abandoned at
    # the deadline must still end that thread and close its socket.
    with checkhelpers.silent_listener() as port:
        health = Health().rabbitmq_check(f"amqp://guest:guest@127.0.0.1:{port}/", timeout=0.1)
        for _ in range(2):  # the runtime's threads exist from here on
            assert checkhelpers.run_one(health).message == "timed out after 0.1s"
        fds = checkhelpers.steady(checkhelpers.open_fds)
        threads = checkhelpers.steady(checkhelpers.threads)
        for _ in range(30):
            assert checkhelpers.run_one(health).message == "timed out after 0.1s"
        assert checkhelpers.settle(checkhelpers.open_fds, fds) <= fds
        assert checkhelpers.settle(checkhelpers.threads, threads) <= threads
