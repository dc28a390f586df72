"""`python manage.py healthcheck [--json] [--tags ready,db] [--timeout 5]`

Runs the checks of the app's `Health` (`HEALTHCHECKX["HEALTH"]`) and prints one line per check,
like the guide's command: name, coloured status, duration, message. Exit status: 0 when healthy
or degraded, 1 when unhealthy (or when the checks did not finish within `--timeout`), 2 when the
configuration is broken.
"""

from __future__ import annotations

import json
import sys
import threading
from typing import Any, List, Optional

from django.core.management.base import BaseCommand, CommandError, CommandParser

from healthcheckx._http import health_payload
from healthcheckx._result import CheckResult, HealthStatus, overall_status

from ... import conf
from ...testenv import close_under_tests


class Command(BaseCommand):
    help = "Runs the health checks; exits 1 when unhealthy."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--json",
            action="store_true",
            help="Print the JSON body of the health endpoint instead of one line per check.",
        )
        parser.add_argument(
            "--tags",
            action="append",
            metavar="TAG[,TAG]",
            help="Run only the checks with one of these tags (repeatable, comma-separated).",
        )
        parser.add_argument(
            "--timeout",
            type=float,
            metavar="SECONDS",
            help="Give up (exit 1) when the checks have not finished after this many seconds.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            health = conf.get_health()
        except conf.ConfigurationError as exc:
            raise CommandError(f"{exc.message} ({exc.hint})", returncode=2) from None
        tags = _tags(options["tags"])
        timeout: Optional[float] = options["timeout"]
        if timeout is not None and timeout <= 0:
            raise CommandError("--timeout must be a positive number of seconds", returncode=2)
        as_json = options["json"]
        if not as_json:
            self.stdout.write("Running health checks...")
        results = _run(health, tags, timeout)
        close_under_tests(health)  # call_command() in a test: leave no session on its database
        if results is None:
            message = f"the health checks did not finish within {timeout:g}s"
            if as_json:
                body = {"status": "unhealthy", "checks": [], "message": message}
                self.stdout.write(json.dumps(body))
            else:
                self.stderr.write(message)
            sys.exit(1)
        if as_json:
            self.stdout.write(json.dumps(health_payload(results)[0]))
        else:
            for result in results:
                self.stdout.write(self._line(result))
        if overall_status(results) is HealthStatus.unhealthy:
            sys.exit(1)

    def _line(self, result: CheckResult) -> str:
        style = {
            HealthStatus.healthy: self.style.SUCCESS,
            HealthStatus.degraded: self.style.WARNING,
            HealthStatus.unhealthy: self.style.ERROR,
        }[result.status]
        message = f" - {result.message}" if result.message else ""
        duration = result.duration_ms or 0.0
        return f"{result.name}: {style(result.status.value)} ({duration:.2f}ms){message}"


def _tags(values: Optional[List[str]]) -> Optional[List[str]]:
    if not values:
        return None
    return [tag.strip() for value in values for tag in value.split(",") if tag.strip()]


def _run(health: Any, tags: Optional[List[str]], timeout: Optional[float]) -> Any:
    if timeout is None:
        return health.run(tags)
    box: List[Any] = []
    errors: List[BaseException] = []

    def target() -> None:
        try:
            box.append(health.run(tags))
        except BaseException as exc:  # re-raised in the command's thread
            errors.append(exc)

    worker = threading.Thread(target=target, name="healthcheck", daemon=True)
    worker.start()
    worker.join(timeout)
    if errors:
        raise errors[0]
    return box[0] if box else None
