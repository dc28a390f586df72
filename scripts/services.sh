#!/usr/bin/env bash
# Installs the Debian packages of the test servers when they are missing, then starts the servers
# and writes $HCX_STATE/services.env: tests/machine.py says which servers, on which ports, with
# which users (idempotent: a second run only probes ports and takes a few seconds).
#
# Usage (as root): scripts/services.sh        then: source "$HCX_STATE/services.env"
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ $(id -u) != 0 ]]; then
    echo "[services] ERROR: run as root (installs packages, runs servers as their users)" >&2
    exit 1
fi

# need PACKAGE THING...: install PACKAGE unless every THING is there (a command on PATH, or a
# path, which may be a glob).
missing=()
need() {
    local package=$1 thing
    shift
    for thing in "$@"; do
        if [[ $thing == /* ]] && compgen -G "$thing" >/dev/null; then continue; fi
        if [[ $thing != /* ]] && command -v "$thing" >/dev/null; then continue; fi
        missing+=("$package")
        return
    done
}
need postgresql pg_ctlcluster psql '/usr/lib/postgresql/*/bin/pg_ctl'
need mariadb-server /usr/sbin/mariadbd
need mariadb-client mariadb
need redis-server redis-server
need rabbitmq-server rabbitmq-server rabbitmqctl
need activemq /usr/share/activemq/bin/activemq.jar /usr/share/activemq/lib/activemq-stomp.jar
need memcached memcached
need openssl openssl
need prometheus promtool          # tests: promtool check metrics
need chromium chromium           # tests: the HTML status page in headless Chromium
"${HCX_PYTHON:-python3}" -c 'import ensurepip' 2>/dev/null || missing+=(python3-venv)

if ((${#missing[@]})); then
    echo "[services] apt-get install ${missing[*]}" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" \
        >/dev/null
fi

exec "${HCX_PYTHON:-python3}" tests/machine.py
