#!/usr/bin/env bash
# The main job: builds healthcheckx, then checks an embedded SQLite database plus every service
# the environment names (REDIS_URL, DATABASE_URL, MYSQL_URL, RABBITMQ_URL, MONGODB_URL) and
# prints the results the way the Django guide's `manage.py healthcheck` does. Then serves the
# Django example (examples/django_project: SQLite and local memory unless DB_HOST/DB_NAME and
# REDIS_URL name servers) with gunicorn and prints its /health/ and `manage.py healthcheck`.
# Exits 1 when a check is unhealthy.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
ensure_venv
build_extension ${HCX_RELEASE:+--release}
status=0
step "health checks"
python examples/demo.py || status=$?

step "Django example: migrate, then /health/ served by gunicorn --workers 2 --preload"
example=$PWD/examples/django_project
scratch=$(mktemp -d)
export SQLITE_PATH=${SQLITE_PATH:-$scratch/db.sqlite3}
(cd "$example" && python manage.py migrate --noinput --verbosity 0)
port=$(python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
(cd "$example" && exec python -m gunicorn --workers 2 --preload --bind "127.0.0.1:$port" \
    myproject.wsgi:application) >"$scratch/gunicorn.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true; rm -rf "$scratch"' EXIT
python - "$port" <<'PY' || status=$?
import json, sys, time, urllib.error, urllib.request

url = f"http://127.0.0.1:{sys.argv[1]}/health/"
for _ in range(200):
    try:
        response = urllib.request.urlopen(url, timeout=10)
    except urllib.error.HTTPError as error:  # 503
        response = error
    except OSError:
        time.sleep(0.05)
        continue
    print(f"GET /health/ -> {response.status}, Cache-Control: {response.headers['Cache-Control']}")
    print(json.dumps(json.loads(response.read()), indent=2))
    sys.exit(0 if response.status == 200 else 1)
sys.exit("gunicorn did not answer")
PY
kill "$server"
wait "$server" 2>/dev/null || true
grep -h "Health check:" "$scratch/gunicorn.log" || true

step "Django example: python manage.py healthcheck"
(cd "$example" && python manage.py healthcheck) || status=$?
exit "$status"
