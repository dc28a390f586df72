"""The `healthcheckx` command side by side with what people run instead (issue: the command).

    python bench/cli.py [--runs 20] [--smoke] [--binary PATH]

Cold processes, every connection new, the five guide services (PostgreSQL, Redis, MariaDB,
RabbitMQ, MongoDB as scripts/services.sh starts them; URLs from services.env):

  command      `healthcheckx check URL...` (the binary: --binary, else $HCX_CLI_BIN, else the
               debug build of $CARGO_TARGET_DIR; only a release build gives figures worth
               comparing: `cargo build --release -p healthcheckx-cli`)
  python       the same five checks with the Python package (`python -c`, $BENCH_PY_A or this
               interpreter)
  predecessor  healthcheckx 1.2.0's `run()` ($BENCH_PY_B, the virtualenv B of bench/run.sh;
               skipped, and said so, when it does not exist)
  chain        `pg_isready && redis-cli ping` (two of the five services only)
  floor        the slowest service's own check, in process (its `duration_ms` alone): what
               concurrent checks cannot beat

then `healthcheckx serve` with the five checks: resident memory, and sequential keep-alive
requests per second of cached `/health` and `/metrics` against `/livez` (a constant answer on
the same HTTP stack). Medians; a Markdown table on stdout.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import shlex
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def services() -> dict[str, str]:
    state = Path(os.environ.get("HCX_STATE", "/var/tmp/healthcheckx-test"))
    values = dict(os.environ)
    env_file = state / "services.env"
    if env_file.exists():
        for line in env_file.read_text().splitlines():
            if line.startswith("export "):
                for word in shlex.split(line[len("export ") :]):
                    key, _, value = word.partition("=")
                    values.setdefault(key, value)
    return values


def five(values: dict[str, str]) -> list[str]:
    return [
        values["HCX_POSTGRES_URL"],
        values["HCX_REDIS_URL"],
        # 1.2.0 does not percent-decode MySQL passwords: every contender uses root, as run.sh does.
        values.get("BENCH_MYSQL_URL", "mysql://root@127.0.0.1:3306/hcx_test"),
        values["HCX_AMQP_URL"],
        values["HCX_MONGODB_URL"],
    ]


def timed(cmd: list[str], runs: int) -> float | None:
    """Median wall time in ms of `cmd` as a new process; None when it fails."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        done = subprocess.run(cmd, capture_output=True)
        if done.returncode != 0:
            sys.stderr.write(
                f"[bench] {cmd[0]} failed ({done.returncode}): {done.stderr[-300:]!r}\n"
            )
            return None
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


FIVE_CHECKS = """
# The same script for the package and its predecessor (same names, same signatures).
import sys
from healthcheckx import Health
pg, redis, mysql, amqp, mongo = sys.argv[1:]
h = (Health().postgresql_check(pg).redis_check(redis).mysql_check(mysql)
     .rabbitmq_check(amqp).mongodb_check(mongo))
sys.exit(any(r.status.value == "unhealthy" for r in h.run()))
"""


def floor(binary: str, urls: list[str], runs: int) -> float:
    """The slowest service's own check (median duration_ms of it alone, cold each time)."""
    worst = 0.0
    for url in urls:
        samples = []
        for _ in range(runs):
            done = subprocess.run([binary, "check", "-f", "json", url], capture_output=True)
            samples.append(json.loads(done.stdout)["checks"][0]["duration_ms"])
        worst = max(worst, statistics.median(samples))
    return worst


def serve_figures(binary: str, urls: list[str], requests: int) -> dict[str, float]:
    proc = subprocess.Popen(
        [binary, "serve", "--listen", "127.0.0.1:0", *urls],
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stderr is not None
        match = re.search(r"127\.0\.0\.1:(\d+)", proc.stderr.readline())
        if not match:
            raise RuntimeError("serve did not start")
        port = int(match.group(1))
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        figures: dict[str, float] = {}
        for path in ("/health", "/livez", "/health", "/metrics", "/livez"):
            conn.request("GET", path)
            conn.getresponse().read()  # warm: the first /health waits for the first round
            started = time.perf_counter()
            for _ in range(requests):
                conn.request("GET", path)
                conn.getresponse().read()
            figures[path] = requests / (time.perf_counter() - started)
        conn.close()
        status = Path(f"/proc/{proc.pid}/status").read_text()
        rss = re.search(r"VmRSS:\s+(\d+) kB", status)
        figures["rss_mib"] = int(rss.group(1)) / 1024 if rss else float("nan")
        return figures
    finally:
        proc.terminate()
        proc.wait(timeout=15)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--smoke", action="store_true", help="3 runs, 200 requests")
    parser.add_argument("--binary")
    args = parser.parse_args()
    runs = 3 if args.smoke else args.runs
    requests = 200 if args.smoke else 5000
    target = os.environ.get("CARGO_TARGET_DIR", "/var/tmp/healthcheckx-build/target")
    binary = args.binary or os.environ.get("HCX_CLI_BIN") or f"{target}/debug/healthcheckx"
    if "/debug/" in binary:
        sys.stderr.write(f"[bench] {binary} is a debug build: figures not comparable\n")
    values = services()
    urls = five(values)
    py_a = os.environ.get("BENCH_PY_A", sys.executable)
    py_b = os.environ.get("BENCH_PY_B", "/var/tmp/healthcheckx-bench/B/bin/python")
    rows: list[tuple[str, float | None]] = [
        ("command: healthcheckx check, five services", timed([binary, "check", *urls], runs)),
        ("python -c, the package, five services", timed([py_a, "-c", FIVE_CHECKS, *urls], runs)),
    ]
    if os.access(py_b, os.X_OK):
        rows.append(
            (
                "predecessor 1.2.0 run(), five services",
                timed([py_b, "-c", FIVE_CHECKS, *urls], runs),
            )
        )
    else:
        rows.append(
            (f"predecessor 1.2.0 run(): not measured ({py_b} missing; bench/run.sh makes it)", None)
        )
    chain = "pg_isready -q -h 127.0.0.1 -p 5432 && redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null"
    rows.append(("pg_isready && redis-cli ping (two services)", timed(["sh", "-c", chain], runs)))
    worst = floor(binary, urls, runs)
    rows.append(("floor: slowest service's check alone, in process", worst))
    print("| cold process | median ms |\n| --- | --- |")
    for name, ms in rows:
        print(f"| {name} | {'-' if ms is None else f'{ms:.1f}'} |")
    command = rows[0][1]
    if command is not None and worst:
        print(f"\ncommand / floor: {command / worst:.2f}x")
    figures = serve_figures(binary, urls, requests)
    print("\n| serve, keep-alive, sequential | requests/s |\n| --- | --- |")
    for path in ("/health", "/metrics", "/livez"):
        print(f"| {path} | {figures[path]:.0f} |")
    print(
        f"\n/health / /livez: {figures['/health'] / figures['/livez']:.2f}; "
        f"resident memory with five checks: {figures['rss_mib']:.1f} MiB"
    )


if __name__ == "__main__":
    main()
