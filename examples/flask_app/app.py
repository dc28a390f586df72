"""A Flask application (app factory, blueprint) with health endpoints for the services named by
REDIS_URL and DATABASE_URL (a variable left unset registers no check).

    REDIS_URL=redis://127.0.0.1:6379/0 DATABASE_URL=postgresql://postgres@127.0.0.1/postgres \
        gunicorn --chdir examples/flask_app "app:create_app()"
"""

from __future__ import annotations

import os

from flask import Blueprint, Flask
from healthcheckx import Health, flask_health_endpoint

health = Health()
if redis_url := os.getenv("REDIS_URL"):
    health.redis_check(redis_url, name="redis")
if db_url := os.getenv("DATABASE_URL"):
    health.postgresql_check(db_url, name="database")

# Views are created at import time, before any application exists.
health_view = flask_health_endpoint(health)

probes = Blueprint("probes", __name__)
probes.add_url_rule("/health", "health", health_view)
probes.route("/ready")(flask_health_endpoint(health))


@probes.route("/healthz")
def liveness():
    """Liveness: the process answers; no service is touched (the body of every adapter's)."""
    return {"status": "ok"}


def create_app() -> Flask:
    app = Flask(__name__)
    app.register_blueprint(probes)

    @app.route("/status")
    def status():
        """A view of your own that answers with the health report, plus a header."""
        response = health_view()
        response.headers["X-Service"] = "example"
        return response

    @app.route("/ping")
    def ping():
        return {"ping": "pong"}

    return app
