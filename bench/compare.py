"""Runs the scenarios of bench/run.sh across the contenders' virtualenvs and prints the tables.

Standard library only: it drives each contender's interpreter (bench/inprocess.py, gunicorn
with bench/djangosite.py) and `wrk`. Called by bench/run.sh, which creates the virtualenvs and
passes their interpreters as BENCH_PY_A .. BENCH_PY_D.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional, Tuple

BENCH = Path(__file__).resolve().parent


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def python_of(contender: str) -> str:
    return os.environ[f"BENCH_PY_{contender}"]


def run_json(python: str, *args: str, timeout: float) -> Dict[str, Any]:
    out = subprocess.run(
        [python, str(BENCH / "inprocess.py"), *args],
        check=True,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    return json.loads(out.stdout)


def ratio(a: Optional[float], b: Optional[float]) -> Optional[float]:
    if a is None or b is None or b == 0:
        return None
    return a / b


# ------------------------------------------------------------------ scenarios 1, 2 and 5


def scenario_inprocess(args: argparse.Namespace, results: Dict[str, Any]) -> None:
    mysql = os.environ["BENCH_MYSQL_URL"]
    runs = {"A": args.runs, "B": args.runs_b}
    for contender in ("A", "B"):
        log(f"scenarios 1-2: {contender}, {runs[contender]} runs, {args.tarpit_runs} per tarpit")
        results["inprocess"][contender] = run_json(
            python_of(contender),
            "run",
            "--runs",
            str(runs[contender]),
            "--tarpit-runs",
            str(args.tarpit_runs),
            "--mysql-url",
            mysql,
            timeout=600,
        )
    for contender in ("A", "B"):
        log(f"scenario 5: import of {contender}, {args.import_repeat} processes")
        results["import"][contender] = run_json(
            python_of(contender), "import", "--repeat", str(args.import_repeat), timeout=300
        )


# ------------------------------------------------------------------ scenario 3


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url: str, seconds: float) -> int:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.status
        except urllib.error.HTTPError as e:
            return e.code
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def parse_wrk(text: str) -> Dict[str, Any]:
    def ms(value: str) -> float:
        number, unit = re.match(r"([\d.]+)(us|ms|s|m)", value).groups()  # type: ignore[union-attr]
        return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]

    out: Dict[str, Any] = {}
    rps = re.search(r"Requests/sec:\s+([\d.]+)", text)
    out["rps"] = float(rps.group(1)) if rps else None
    for q in ("50", "90", "99"):
        found = re.search(rf"^\s+{q}%\s+(\S+)", text, re.M)
        out[f"p{q}_ms"] = ms(found.group(1)) if found else None
    total = re.search(r"(\d+) requests in", text)
    out["requests"] = int(total.group(1)) if total else None
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
    out["non_2xx"] = int(non2xx.group(1)) if non2xx else 0
    errors = re.search(r"Socket errors: (.*)", text)
    out["socket_errors"] = errors.group(1) if errors else ""
    return out


@contextlib.contextmanager
def gunicorn(args: argparse.Namespace, variant: str) -> Iterator[Tuple[str, int, int]]:
    """Serves bench/djangosite.py for VARIANT; yields (url, master pid, first status).

    `A_cached:html` asks `/health/?format=html` of `A_cached`, `A_cached:metrics` its `/metrics/`.
    """
    site, _, face = variant.partition(":")
    contender = site.split("_")[0]
    port = free_port()
    env = dict(os.environ, BENCH_CONTENDER=site, DJANGO_SETTINGS_MODULE="djangosite")
    env["PYTHONPATH"] = str(BENCH)
    cmd = [
        python_of(contender),
        "-m",
        "gunicorn",
        "--workers",
        str(args.workers),
        "--bind",
        f"127.0.0.1:{port}",
        "--log-level",
        "warning",
        "--timeout",
        "30",
        "django.core.wsgi:get_wsgi_application()",
    ]
    path = {"": "health/?format=json", "html": "health/?format=html", "metrics": "metrics/"}[face]
    url = f"http://127.0.0.1:{port}/{path}"
    server = subprocess.Popen(cmd, env=env, cwd=str(BENCH), start_new_session=True)
    try:
        yield url, server.pid, wait_http(url, 30)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def scenario_http(args: argparse.Namespace, results: Dict[str, Any]) -> None:
    # Rounds over all contenders in turn, so that a slow spell of the machine hits them alike;
    # each contender's figures are those of its median round by requests/s.
    rounds: Dict[str, List[Dict[str, Any]]] = {variant: [] for variant in args.http}
    for number in range(args.http_rounds):
        for variant in args.http:
            with gunicorn(args, variant) as (url, _, status):
                log(
                    f"scenario 3: {variant}, round {number + 1}/{args.http_rounds}, "
                    f"first answer {status}, wrk {args.http_seconds}s"
                )
                wrk = subprocess.run(
                    [
                        "wrk",
                        "--threads",
                        "2",
                        "--connections",
                        str(args.connections),
                        "--duration",
                        f"{args.http_seconds}s",
                        "--timeout",
                        "5s",
                        "--latency",
                        url,
                    ],
                    check=True,
                    capture_output=True,
                    text=True,
                    timeout=args.http_seconds + 60,
                )
                figures = parse_wrk(wrk.stdout)
                figures["first_status"] = status
                rounds[variant].append(figures)
    for variant, runs in rounds.items():
        ordered = sorted(runs, key=lambda r: r["rps"] or 0.0)
        median = dict(ordered[len(ordered) // 2])
        median["rounds_rps"] = [r["rps"] for r in runs]
        results["http"][variant] = median


# ------------------------------------------------------------------ scenario 4


def command_output(cmd: List[str]) -> str:
    return subprocess.run(cmd, check=True, capture_output=True, text=True, timeout=60).stdout


def service_counters() -> Dict[str, int]:
    """Connections each server has accepted since it started, read from its own counters.

    Each read of PostgreSQL and Redis is itself one connection (psql, redis-cli); RabbitMQ is
    read over Erlang distribution (rabbitmqctl), which opens no AMQP connection.
    """
    pg = command_output(
        [
            "psql",
            os.environ["HCX_POSTGRES_URL"],
            "-Atc",
            "SELECT sum(sessions) FROM pg_stat_database",
        ]
    )
    info = command_output(["redis-cli", "-u", os.environ["HCX_REDIS_URL"], "INFO", "stats"])
    redis = re.search(r"total_connections_received:(\d+)", info)
    churn = command_output(["rabbitmqctl", "eval", "ets:tab2list(connection_churn_metrics)."])
    rabbit = re.search(r"\{[^,]+,(\d+),", churn)
    return {
        "postgresql": int(pg.strip()),
        "redis": int(redis.group(1)) if redis else -1,
        "rabbitmq": int(rabbit.group(1)) if rabbit else -1,
    }


READ_COST = {"postgresql": 1, "redis": 1, "rabbitmq": 0}


def workers_of(master: int) -> Dict[int, Dict[str, float]]:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    out: Dict[int, Dict[str, float]] = {}
    for pid in map(int, children):
        status = Path(f"/proc/{pid}/status").read_text()
        rss = re.search(r"VmRSS:\s+(\d+) kB", status)
        out[pid] = {
            "fds": len(os.listdir(f"/proc/{pid}/fd")),
            "rss_mib": int(rss.group(1)) / 1024 if rss else -1,
        }
    return out


def probe(url: str, count: int, threads: int) -> Dict[str, int]:
    statuses: Dict[str, int] = {}
    lock = threading.Lock()
    remaining = [count]

    def worker() -> None:
        while True:
            with lock:
                if remaining[0] <= 0:
                    return
                remaining[0] -= 1
            try:
                with urllib.request.urlopen(url, timeout=10) as response:
                    code = str(response.status)
                    response.read()
            except urllib.error.HTTPError as e:
                code = str(e.code)
            except OSError as e:
                code = type(e).__name__
            with lock:
                statuses[code] = statuses.get(code, 0) + 1

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    return statuses


def scenario_connections(args: argparse.Namespace, results: Dict[str, Any]) -> None:
    for variant, count in args.probes.items():
        # Counted over the whole life of the server: its start, a warm-up that reaches every
        # worker, then the probes. Worker fds and RSS: after the warm-up, after the probes.
        before = service_counters()
        with gunicorn(args, variant) as (url, master, status):
            statuses = {str(status): 1}  # the readiness probe of gunicorn()
            for code, n in probe(url, 4 * args.workers, 8).items():
                statuses[code] = statuses.get(code, 0) + n
            workers_before = workers_of(master)
            started = time.monotonic()
            log(f"scenario 4: {variant}, {count} probes after {4 * args.workers}")
            for code, n in probe(url, count, 8).items():
                statuses[code] = statuses.get(code, 0) + n
            elapsed = time.monotonic() - started
            time.sleep(1.5)  # PostgreSQL publishes its session counts within a second
            after = service_counters()
            workers_after = workers_of(master)
        opened = {k: after[k] - before[k] - READ_COST[k] for k in before}
        count += 1 + 4 * args.workers
        results["connections"][variant] = {
            "probes": count,
            "seconds": elapsed,
            "statuses": statuses,
            "opened": opened,
            "workers_before": workers_before,
            "workers_after": workers_after,
        }


# ------------------------------------------------------------------ report


def fmt(value: Optional[float], digits: int = 2) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}"


def report(results: Dict[str, Any]) -> str:
    lines: List[str] = []
    meta = results["meta"]
    lines.append(f"mode: {meta['mode']}; {meta['machine']}; {meta['date']}")
    lines.append(f"versions: {json.dumps(meta['versions'])}")
    ip = results["inprocess"]
    if ip:
        lines.append("")
        lines.append("Scenarios 1-2: Health.run() over five services, in-process (ms)")
        lines.append("| scenario | A median | A p99 | B median | B p99 | B/A (median) |")
        lines.append("|---|---|---|---|---|---|")
        titles = {
            "healthy": "all healthy, warm",
            "tarpit1": "Redis on a tarpit (timeout 2 s)",
            "tarpit2": "Redis and PostgreSQL on tarpits",
        }
        for key, title in titles.items():
            a, b = ip["A"][key]["run"], ip["B"][key]["run"]
            lines.append(
                f"| {title} | {fmt(a['median'])} | {fmt(a['p99'])} | {fmt(b['median'])} | "
                f"{fmt(b['p99'])} | {fmt(ratio(b['median'], a['median']), 1)}x |"
            )
        for contender in ("A", "B"):
            checks = ip[contender]["healthy"]["checks"]
            own = ", ".join(f"{n} {fmt(c['median'])}" for n, c in checks.items())
            slowest = max(c["median"] for c in checks.values())
            run = ip[contender]["healthy"]["run"]["median"]
            statuses = ip[contender]["healthy"]["statuses"]
            lines.append(
                f"{contender}: checks' own medians (ms): {own}; run / slowest check = "
                f"{fmt(ratio(run, slowest))}; statuses {json.dumps(statuses)}"
            )
    imp = results["import"]
    if imp:
        lines.append("")
        lines.append(
            "Scenario 5: import healthcheckx (web frameworks blocked), median of processes"
        )
        lines.append(
            "| | import (ms) | process (ms) | bare python (ms) | RSS added (MiB) "
            "| + five checks registered: ms, RSS added (MiB) | download (MB) |"
        )
        lines.append("|---|---|---|---|---|---|---|")
        for contender in ("A", "B"):
            d = imp[contender]
            added = d["rss_after_mib"] - d["rss_before_mib"]
            built = d["rss_built_mib"] - d["rss_before_mib"]
            size = results["sizes"].get(contender)
            lines.append(
                f"| {contender} | {fmt(d['import_ms']['median'])} | "
                f"{fmt(d['process_ms']['median'], 1)} | {fmt(d['bare_python_ms']['median'], 1)} | "
                f"{fmt(added, 1)} | {fmt(d['register_ms']['median'], 1)}, {fmt(built, 1)} | "
                f"{fmt(size / 1e6 if size else None, 1)} |"
            )
    http = results["http"]
    if http:
        lines.append("")
        lines.append(
            f"Scenario 3: GET /health/ on gunicorn ({meta['workers']} sync workers), wrk "
            f"{meta['http_seconds']} s, {meta['connections']} connections; the median of "
            f"{meta['http_rounds']} rounds"
        )
        lines.append(
            "| contender | requests/s | p50 ms | p90 ms | p99 ms | non-2xx | errors "
            "| requests/s of each round |"
        )
        lines.append("|---|---|---|---|---|---|---|---|")
        for variant, d in http.items():
            lines.append(
                f"| {variant} | {fmt(d['rps'], 0)} | {fmt(d['p50_ms'])} | {fmt(d['p90_ms'])} | "
                f"{fmt(d['p99_ms'])} | {d['non_2xx']} | {d['socket_errors'] or '-'} | "
                f"{', '.join(fmt(r, 0) for r in d['rounds_rps'])} |"
            )

        def rps(name: str) -> Optional[float]:
            return http.get(name, {}).get("rps")

        lines.append(
            "ratios (requests/s): "
            f"A_cached/D {fmt(ratio(rps('A_cached'), rps('D')))}, "
            f"A_refresh/D {fmt(ratio(rps('A_refresh'), rps('D')))}, "
            f"A/C {fmt(ratio(rps('A'), rps('C')))}, "
            f"A/B {fmt(ratio(rps('A'), rps('B')))}, "
            f"A/D {fmt(ratio(rps('A'), rps('D')))}, "
            f"A_cached:html/A_cached {fmt(ratio(rps('A_cached:html'), rps('A_cached')))}, "
            f"A_cached:metrics/A_cached {fmt(ratio(rps('A_cached:metrics'), rps('A_cached')))}"
        )
    conns = results["connections"]
    if conns:
        lines.append("")
        lines.append(
            f"Scenario 4: connections the servers accepted over a gunicorn's life ("
            f"{meta['workers']} workers, N probes of /health/); worker fds and RSS after a "
            "warm-up, after the probes"
        )
        lines.append(
            "| contender | probes | PostgreSQL | Redis | RabbitMQ | per probe (sum) "
            "| worker fds before → after | worker RSS MiB before → after |"
        )
        lines.append("|---|---|---|---|---|---|---|---|")
        for variant, d in conns.items():
            o = d["opened"]
            per = sum(o.values()) / d["probes"]
            pids = sorted(d["workers_after"])
            fds = " / ".join(
                f"{d['workers_before'].get(p, {}).get('fds', '?')} → {d['workers_after'][p]['fds']}"
                for p in pids
            )
            rss = " / ".join(
                f"{d['workers_before'].get(p, {}).get('rss_mib', 0):.0f} → "
                f"{d['workers_after'][p]['rss_mib']:.0f}"
                for p in pids
            )
            lines.append(
                f"| {variant} | {d['probes']} | {o['postgresql']} | {o['redis']} | "
                f"{o['rabbitmq']} | {per:.2f} | {fds} | {rss} |"
            )
            lines.append(f"statuses of {variant}: {json.dumps(d['statuses'])}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--smoke", action="store_true")
    parser.add_argument(
        "--http", default="A,A_cached,A_cached:html,A_cached:metrics,A_refresh,B,C,D"
    )
    parser.add_argument("--out", default="")
    parser.add_argument(
        "--only", default="inprocess,http,connections", help="scenarios 1-2 and 5, 3, 4"
    )
    args = parser.parse_args()
    args.http = [v for v in args.http.split(",") if v]
    smoke = args.smoke
    args.runs = 20 if smoke else 1000
    args.runs_b = 10 if smoke else 200
    args.tarpit_runs = 1 if smoke else 5
    args.import_repeat = 2 if smoke else 20
    args.workers = 2
    args.connections = 32
    args.http_seconds = 1 if smoke else 10
    args.http_rounds = 1 if smoke else 3
    args.probes = {"A": 30, "B": 30, "C": 30} if smoke else {"A": 10000, "B": 500, "C": 500}

    results: Dict[str, Any] = {
        "meta": {
            "mode": "smoke" if smoke else "full",
            "machine": f"{os.cpu_count()} cores, {platform.platform()}",
            "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
            "workers": args.workers,
            "connections": args.connections,
            "http_seconds": args.http_seconds,
            "http_rounds": args.http_rounds,
            "versions": json.loads(os.environ.get("BENCH_VERSIONS", "{}")),
        },
        "inprocess": {},
        "import": {},
        "http": {},
        "connections": {},
        "sizes": json.loads(os.environ.get("BENCH_SIZES", "{}")),
    }
    only = args.only.split(",")
    if "inprocess" in only:
        scenario_inprocess(args, results)
    if "http" in only:
        scenario_http(args, results)
    if "connections" in only:
        scenario_connections(args, results)
    text = report(results)
    print(text)
    if args.out:
        Path(args.out).write_text(json.dumps(results, indent=1) + "\n")
        Path(args.out).with_suffix(".md").write_text(text + "\n")


if __name__ == "__main__":
    main()
