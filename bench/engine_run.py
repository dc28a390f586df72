"""Times `Health.run()` over the guide's five services (warm, in-process).

    source /var/tmp/healthcheckx-test/services.env   # after scripts/services.sh
    python bench/engine_run.py --runs 500

Reports median and p99 of the whole run and of each check's own `duration_ms`, and the same with
one and two checks pointed at a tarpit (a listener that never answers) with a 2 s timeout.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import time
from typing import Dict, List

from healthcheckx import Health


def percentile(values: List[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def five_services(tarpit_port: int = 0, hung: int = 0) -> Health:
    env = os.environ
    dead = f"127.0.0.1:{tarpit_port}"
    redis_url = f"redis://{dead}/0" if hung >= 1 else env["HCX_REDIS_URL"]
    pg_url = f"postgresql://postgres@{dead}/x" if hung >= 2 else env["HCX_POSTGRES_URL"]
    return (
        Health()
        .redis_check(redis_url, timeout=2, name="redis")
        .postgresql_check(pg_url, timeout=2, name="database")
        .mysql_check(env["HCX_MYSQL_URL"], timeout=2, name="mysql")
        .rabbitmq_check(env["HCX_AMQP_URL"], timeout=2, name="rabbitmq")
        .mongodb_check(env["HCX_MONGODB_URL"], timeout=2, name="mongodb")
    )


def measure(health: Health, runs: int) -> Dict[str, List[float]]:
    health.run()  # warm: runtime started, connections open
    samples: Dict[str, List[float]] = {"run()": []}
    for _ in range(runs):
        started = time.perf_counter()
        results = health.run()
        samples["run()"].append((time.perf_counter() - started) * 1000)
        for result in results:
            samples.setdefault(result.name, []).append(result.duration_ms or 0.0)
    return samples


def report(title: str, samples: Dict[str, List[float]]) -> None:
    print(f"\n{title}")
    print(f"  {'':10} {'median ms':>10} {'p99 ms':>10}")
    for name, values in samples.items():
        print(f"  {name:10} {statistics.median(values):10.3f} {percentile(values, 0.99):10.3f}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=300)
    parser.add_argument("--tarpit-runs", type=int, default=5)
    args = parser.parse_args()
    report(f"five services, all healthy ({args.runs} runs)", measure(five_services(), args.runs))
    tarpit = socket.socket()
    tarpit.bind(("127.0.0.1", 0))
    tarpit.listen(1024)
    port = tarpit.getsockname()[1]
    for hung in (1, 2):
        samples = measure(five_services(port, hung), args.tarpit_runs)
        report(f"{hung} of five on a tarpit, timeout 2 s ({args.tarpit_runs} runs)", samples)


if __name__ == "__main__":
    main()
