"""Scenarios 1, 2 and 5 inside one contender's virtualenv; prints one JSON object.

Run by bench/run.sh with the contender's interpreter. The code uses only the API that this
project and its predecessor (healthcheckx 1.2.0) share: `Health().redis_check(url, timeout=,
name=)` and so on, then `run()`, whose results carry `name` and `duration_ms`.

    python bench/inprocess.py run --runs 500 --tarpit-runs 5
    python bench/inprocess.py import --repeat 20
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import time
from typing import Any, Dict, List


def percentile(values: List[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def summary(values: List[float]) -> Dict[str, float]:
    return {
        "median": statistics.median(values),
        "p99": percentile(values, 0.99),
        "n": len(values),
    }


def five_services(mysql_url: str, tarpit_port: int = 0, hung: int = 0) -> Any:
    from healthcheckx import Health

    env = os.environ
    dead = f"127.0.0.1:{tarpit_port}"
    redis_url = f"redis://{dead}/0" if hung >= 1 else env["HCX_REDIS_URL"]
    pg_url = f"postgresql://postgres@{dead}/x" if hung >= 2 else env["HCX_POSTGRES_URL"]
    return (
        Health()
        .redis_check(redis_url, timeout=2, name="redis")
        .postgresql_check(pg_url, timeout=2, name="database")
        .mysql_check(mysql_url, timeout=2, name="mysql")
        .rabbitmq_check(env["HCX_AMQP_URL"], timeout=2, name="rabbitmq")
        .mongodb_check(env["HCX_MONGODB_URL"], timeout=2, name="mongodb")
    )


def measure(health: Any, runs: int, budget_s: float) -> Dict[str, Any]:
    first = health.run()  # warm: runtime started, connections open where the contender keeps them
    statuses = {r.name: str(getattr(r.status, "value", r.status)) for r in first}
    run_ms: List[float] = []
    checks: Dict[str, List[float]] = {}
    deadline = time.monotonic() + budget_s
    for _ in range(runs):
        started = time.perf_counter()
        results = health.run()
        run_ms.append((time.perf_counter() - started) * 1000)
        for result in results:
            checks.setdefault(result.name, []).append(result.duration_ms or 0.0)
        if time.monotonic() > deadline:
            break
    return {
        "run": summary(run_ms),
        "checks": {name: summary(values) for name, values in checks.items()},
        "statuses": statuses,
    }


def scenario_run(args: argparse.Namespace) -> Dict[str, Any]:
    out: Dict[str, Any] = {"healthy": measure(five_services(args.mysql_url), args.runs, 60)}
    # The tarpit: a listener that never accepts; the kernel completes the handshake, then nothing
    # is ever answered.
    tarpit = socket.socket()
    tarpit.bind(("127.0.0.1", 0))
    tarpit.listen(1024)
    port = tarpit.getsockname()[1]
    for hung in (1, 2):
        health = five_services(args.mysql_url, port, hung)
        out[f"tarpit{hung}"] = measure(health, args.tarpit_runs, 60)
    tarpit.close()
    return out


IMPORT_PROBE = """
import resource, sys, time
for blocked in ("django", "fastapi", "flask"):
    sys.modules[blocked] = None  # the package alone
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
started = time.perf_counter()
import healthcheckx
elapsed = time.perf_counter() - started
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
started = time.perf_counter()
health = (
    healthcheckx.Health()
    .redis_check("redis://127.0.0.1:1/0", name="redis")
    .postgresql_check("postgresql://u@127.0.0.1:1/x", name="database")
    .mysql_check("mysql://u@127.0.0.1:1/x", name="mysql")
    .rabbitmq_check("amqp://u:p@127.0.0.1:1/%2F", name="rabbitmq")
    .mongodb_check("mongodb://127.0.0.1:1", name="mongodb")
)
registered = time.perf_counter() - started
built = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(elapsed * 1000, before, after, registered * 1000, built)
"""


def scenario_import(args: argparse.Namespace) -> Dict[str, Any]:
    import_ms: List[float] = []
    wall_ms: List[float] = []
    base_ms: List[float] = []
    rss_before: List[float] = []
    rss_after: List[float] = []
    register_ms: List[float] = []
    rss_built: List[float] = []
    for _ in range(args.repeat):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True)
        base_ms.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        line = subprocess.run(
            [sys.executable, "-c", IMPORT_PROBE], check=True, capture_output=True, text=True
        ).stdout.split()
        wall_ms.append((time.perf_counter() - started) * 1000)
        import_ms.append(float(line[0]))
        rss_before.append(float(line[1]) / 1024)
        rss_after.append(float(line[2]) / 1024)
        register_ms.append(float(line[3]))
        rss_built.append(float(line[4]) / 1024)
    return {
        "import_ms": summary(import_ms),
        "process_ms": summary(wall_ms),
        "bare_python_ms": summary(base_ms),
        "rss_before_mib": statistics.median(rss_before),
        "rss_after_mib": statistics.median(rss_after),
        "register_ms": summary(register_ms),
        "rss_built_mib": statistics.median(rss_built),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("scenario", choices=["run", "import"])
    parser.add_argument("--runs", type=int, default=300)
    parser.add_argument("--tarpit-runs", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--mysql-url", default=os.environ.get("HCX_MYSQL_URL", ""))
    args = parser.parse_args()
    if args.scenario == "run":
        result = scenario_run(args)
    else:
        result = scenario_import(args)
    import healthcheckx

    result["version"] = getattr(healthcheckx, "__version__", None) or version_of("healthcheckx")
    print(json.dumps(result))


def version_of(name: str) -> str:
    from importlib.metadata import version

    return version(name)


if __name__ == "__main__":
    main()
