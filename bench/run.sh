#!/usr/bin/env bash
# The benchmark of BENCHMARKS.md, side by side, in one command:
#
#   bash bench/run.sh            # full figures (about 5 minutes on 2 cores, virtualenvs existing)
#   bash bench/run.sh --only http,connections   # some scenarios: inprocess (1, 2, 5), http (3),
#                                               # connections (4)
#   bash bench/run.sh --smoke    # every scenario with tiny counts: about 35 s, 80 s when it creates
#                                # the virtualenvs; asserts nothing (the last step of scripts/test.sh)
#
# One virtualenv per contender under $BENCH_DIR (/var/tmp/healthcheckx-bench), created once and
# reused (recreated when what it should hold changes):
#   A  this project: the release wheel dist/healthcheckx-*.whl (scripts/build-wheel.sh) when it
#      exists, else the editable development build of $HCX_VENV (said on stderr)
#   B  the predecessor, healthcheckx==1.2.0 from PyPI, with its drivers
#   C  django-health-check (latest) with Django, psycopg, redis and aio-pika (its RabbitMQ check)
#   D  bare Django
# The servers are those of scripts/services.sh, all on 127.0.0.1. Results: the tables on stdout,
# and $BENCH_DIR/results-{full,smoke}[-partial].{json,md} (-partial: with --only or other
# options).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

mode=full
[[ ${1:-} == --smoke ]] && mode=smoke && shift
BENCH_DIR=${BENCH_DIR:-/var/tmp/healthcheckx-bench}
PYTHON=${PYTHON:-python3}
mkdir -p "$BENCH_DIR"
log() { printf '[bench] %s\n' "$*" >&2; }

bash scripts/services.sh >/dev/null
source "$HCX_STATE/services.env"
# healthcheckx 1.2.0 does not percent-decode MySQL passwords (HCX_MYSQL_URL has an encoded one):
# both contenders check MariaDB as its password-less root, over TCP.
export BENCH_MYSQL_URL=${BENCH_MYSQL_URL:-mysql://root@127.0.0.1:3306/hcx_test}

if ! command -v wrk >/dev/null; then
    log "installing wrk (Debian package)"
    apt-get install -y -q wrk >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get install -y -q wrk >/dev/null; }
fi

# venv NAME STAMP PACKAGES...: $BENCH_DIR/NAME holding PACKAGES, reinstalled when STAMP changes.
venv() {
    local name=$1 stamp=$2 dir=$BENCH_DIR/$1
    shift 2
    if [[ ! -x $dir/bin/python || ! -f $dir/.stamp || $(cat "$dir/.stamp") != "$stamp" ]]; then
        log "virtualenv $name: $*"
        rm -rf "$dir"
        "$PYTHON" -m venv "$dir"
        "$dir/bin/pip" install --quiet "$@"
        echo "$stamp" >"$dir/.stamp"
    fi
}

common=(django gunicorn)
wheel=$(ls dist/healthcheckx-*.whl 2>/dev/null | head -n 1 || true)
if [[ -n $wheel ]]; then
    venv A "$(sha256sum "$wheel" | cut -d' ' -f1)" "$wheel" "${common[@]}"
    PY_A=$BENCH_DIR/A/bin/python
    size_a=$(stat -c %s "$wheel")
else
    log "no dist/healthcheckx-*.whl (bash scripts/build-wheel.sh builds it):" \
        "A is the editable development build of $HCX_VENV, not a release build"
    ensure_venv >/dev/null
    [[ -f python/healthcheckx/_native.abi3.so ]] || build_extension
    PY_A=$HCX_VENV/bin/python
    size_a=$(stat -c %s python/healthcheckx/_native.abi3.so)
fi
b_packages=(healthcheckx==1.2.0 redis psycopg2-binary mysql-connector-python pika pymongo)
venv B "v1 ${b_packages[*]}" "${b_packages[@]}" "${common[@]}"
if [[ ! -f $BENCH_DIR/wheels-B/.done ]]; then
    rm -rf "$BENCH_DIR/wheels-B"
    "$BENCH_DIR/B/bin/pip" download --quiet -d "$BENCH_DIR/wheels-B" "${b_packages[@]}"
    touch "$BENCH_DIR/wheels-B/.done"
fi
size_b=$(du -cb "$BENCH_DIR"/wheels-B/*.whl | tail -n 1 | cut -f1)

venv C "v1" django-health-check django 'psycopg[binary]' redis aio-pika gunicorn
venv D "v1" "${common[@]}"
http=${BENCH_HTTP:-A,A_cached,A_cached:html,A_cached:metrics,A_refresh,B,C,D}

version() { "$1" -c "from importlib.metadata import version as v; print(v('$2'))" 2>/dev/null || echo "?"; }
versions="{\"python\": \"$("$PY_A" -c 'import platform; print(platform.python_version())')\""
versions+=", \"A healthcheckx\": \"$(version "$PY_A" healthcheckx)$([[ -n $wheel ]] && echo " ($(basename "$wheel"))" || echo " (editable dev build)")\""
versions+=", \"B healthcheckx\": \"$(version "$BENCH_DIR/B/bin/python" healthcheckx)\""
versions+=", \"django\": \"$(version "$BENCH_DIR/B/bin/python" django)\""
versions+=", \"gunicorn\": \"$(version "$BENCH_DIR/B/bin/python" gunicorn)\""
if [[ $http == *C* ]]; then
    versions+=", \"C django-health-check\": \"$(version "$BENCH_DIR/C/bin/python" django-health-check)\""
fi
versions+=", \"wrk\": \"$(wrk --version 2>&1 | head -n 1 | cut -d' ' -f2 || true)\"}"

export BENCH_PY_A=$PY_A BENCH_PY_B=$BENCH_DIR/B/bin/python
export BENCH_PY_C=$BENCH_DIR/C/bin/python BENCH_PY_D=$BENCH_DIR/D/bin/python
export BENCH_VERSIONS=$versions BENCH_SIZES="{\"A\": $size_a, \"B\": $size_b}"
args=(--out "$BENCH_DIR/results-$mode${1:+-partial}.json" --http "$http")
[[ $mode == smoke ]] && args+=(--smoke)
"$PYTHON" bench/compare.py "${args[@]}" "$@" # e.g. --only http,connections
