"""A FastAPI application with health endpoints for the services named by REDIS_URL and
DATABASE_URL (a variable left unset registers no check).

    REDIS_URL=redis://127.0.0.1:6379/0 DATABASE_URL=postgresql://postgres@127.0.0.1/postgres \
        uvicorn --app-dir examples/fastapi_app main:app
"""

from __future__ import annotations

import os

from fastapi import FastAPI
from healthcheckx import FastAPIAdapter, Health

health = Health()
if redis_url := os.getenv("REDIS_URL"):
    health.redis_check(redis_url, name="redis")
if db_url := os.getenv("DATABASE_URL"):
    health.postgresql_check(db_url, name="database")

adapter = FastAPIAdapter(health)
app = FastAPI(title="healthcheckx FastAPI example")

# GET/HEAD /health, /ready, /startup (the checks) and /healthz (liveness), listed in /docs.
app.include_router(adapter.router())


@app.get("/status")
async def status():
    """An endpoint of your own that answers with the health report, plus a header."""
    response = await adapter.endpoint()
    response.headers["X-Service"] = "example"
    return response


@app.get("/ping")
async def ping():
    """Answered at once, even while a health check waits on a slow service."""
    return {"ping": "pong"}
