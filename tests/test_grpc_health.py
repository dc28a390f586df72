"""The gRPC health service of healthcheckx-web (`examples/grpc_service.rs`), called by the
`grpcio-health-checking` client: Check per service name, NOT_FOUND for an unknown one, and Watch
streaming NOT_SERVING then SERVING as a private Redis is stopped and started."""

from __future__ import annotations

import os
import queue
import subprocess
import sys
import threading
from pathlib import Path

import grpc
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc

sys.path.insert(0, str(Path(__file__).resolve().parent))

import servers  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SERVING = health_pb2.HealthCheckResponse.SERVING
NOT_SERVING = health_pb2.HealthCheckResponse.NOT_SERVING
SERVICE_UNKNOWN = health_pb2.HealthCheckResponse.SERVICE_UNKNOWN


@pytest.fixture(scope="module")
def example_binary() -> Path:
    """The example, built by cargo (nothing to do when `cargo test` built it already)."""
    subprocess.run(
        ["cargo", "build", "--quiet", "-p", "healthcheckx-web", "--example", "grpc_service"],
        cwd=ROOT,
        check=True,
        timeout=1800,
    )
    target = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
    return target / "debug" / "examples" / "grpc_service"


@pytest.fixture
def grpc_service(example_binary, redis_server, closed_port, tmp_path):
    """The example serving `redis` (the private Redis) and `database` (a closed port)."""
    port = servers.free_port()
    log = open(tmp_path / "grpc_service.log", "wb")
    env = {
        **os.environ,
        "LISTEN": f"127.0.0.1:{port}",
        "REDIS_URL": redis_server.url,
        "DATABASE_URL": f"tcp://127.0.0.1:{closed_port}",
        "REFRESH_SECONDS": "0.2",
    }
    proc = subprocess.Popen(
        [str(example_binary)], env=env, stdout=log, stderr=subprocess.STDOUT, cwd=tmp_path
    )
    try:
        servers.wait_for_port(port, timeout=30, what="grpc_service", proc=proc)
        with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
            yield health_pb2_grpc.HealthStub(channel)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()


def check(stub, service: str) -> int:
    request = health_pb2.HealthCheckRequest(service=service)
    return stub.Check(request, timeout=10).status


def test_check_maps_service_names_to_tags(grpc_service):
    assert check(grpc_service, "redis") == SERVING
    assert check(grpc_service, "database") == NOT_SERVING
    assert check(grpc_service, "ready") == NOT_SERVING  # both checks carry `ready`
    assert check(grpc_service, "") == NOT_SERVING  # the whole server


def test_check_of_an_unknown_service_is_not_found(grpc_service):
    with pytest.raises(grpc.RpcError) as raised:
        check(grpc_service, "no-such-service")
    assert raised.value.code() == grpc.StatusCode.NOT_FOUND


def test_watch_of_an_unknown_service_stays_open(grpc_service):
    call = grpc_service.Watch(health_pb2.HealthCheckRequest(service="nope"), timeout=2)
    assert next(call).status == SERVICE_UNKNOWN
    with pytest.raises(grpc.RpcError) as raised:
        next(call)
    assert raised.value.code() == grpc.StatusCode.DEADLINE_EXCEEDED


def test_watch_follows_redis_down_and_up(grpc_service, redis_server):
    call = grpc_service.Watch(health_pb2.HealthCheckRequest(service="redis"), timeout=60)
    statuses: queue.Queue[int] = queue.Queue()

    def read() -> None:
        try:
            for response in call:
                statuses.put(response.status)
        except grpc.RpcError:
            pass

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        assert statuses.get(timeout=10) == SERVING
        redis_server.stop()
        assert statuses.get(timeout=15) == NOT_SERVING
        redis_server.start()
        assert statuses.get(timeout=15) == SERVING
        # Only changes are sent: nothing more while Redis stays up.
        with pytest.raises(queue.Empty):
            statuses.get(timeout=1)
    finally:
        call.cancel()
        reader.join(timeout=10)
