#!/usr/bin/env bash
# The main job: builds healthcheckx, then checks an embedded SQLite database plus every service
# the environment names (REDIS_URL, DATABASE_URL, MYSQL_URL, RABBITMQ_URL, MONGODB_URL) and
# prints the results the way the Django guide's `manage.py healthcheck` does.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
ensure_venv
build_extension ${HCX_RELEASE:+--release}
step "health checks"
python examples/demo.py
