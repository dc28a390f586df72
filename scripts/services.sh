#!/usr/bin/env bash
# Installs (when missing) and starts every server the healthcheckx
# integration tests talk to, then writes $HCX_STATE/services.env.
#
# Idempotent: whatever is already running or already created is left as it
# is, so a second run only probes ports and takes a few seconds.
# Everything listens on 127.0.0.1 only.
#
#   machine services (standard ports, started if down):
#     PostgreSQL 5432 (trust auth)       + database hcx_test
#     MariaDB    3306 (root, no password) + user hcx, database hcx_test
#     Redis      6379 (no auth)
#     RabbitMQ   5672 (guest/guest)       + user hcx, vhost hcx
#   private instances kept under $HCX_STATE:
#     PostgreSQL 55432  scram-sha-256, superuser hcx, database hcx_test
#     Redis      56379  requirepass + ACL user hcx
#     SecantusDB 27017  MongoDB wire protocol, no auth
#     SecantusDB 57017  MongoDB wire protocol, --auth, user hcx (admin db)
#
# Usage: scripts/services.sh        then: source "$HCX_STATE/services.env"
set -euo pipefail

HCX_STATE=${HCX_STATE:-/var/tmp/healthcheckx-test}
HCX_AUTH_USER=hcx
HCX_AUTH_PASSWORD='hcx-P@ss:w/rd%'
PG_AUTH_PORT=55432
REDIS_AUTH_PORT=56379
MONGO_PORT=27017
MONGO_AUTH_PORT=57017
SECANTUS_SPEC=${HCX_SECANTUS_SPEC:-secantusdb==0.7.0b3}
TOOLS_VENV=$HCX_STATE/tools-venv
SECANTUS_PY=$TOOLS_VENV/bin/python

log() { printf '[services] %s\n' "$*" >&2; }
die() { printf '[services] ERROR: %s\n' "$*" >&2; exit 1; }

# ---------------------------------------------------------------- helpers

# port_open PORT: true when something accepts TCP connections on 127.0.0.1:PORT.
port_open() {
    timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null
}

# wait_port NAME PORT TIMEOUT_S [LOGFILE]: wait until the port accepts, or fail
# loudly (with the tail of the log file when given).
wait_port() {
    local name=$1 port=$2 timeout_s=$3 logfile=${4:-} deadline
    deadline=$((SECONDS + timeout_s))
    until port_open "$port"; do
        if ((SECONDS >= deadline)); then
            if [[ -n $logfile && -f $logfile ]]; then
                log "last lines of $logfile:"
                tail -n 30 "$logfile" >&2 || true
            fi
            die "$name did not accept connections on 127.0.0.1:$port within ${timeout_s}s"
        fi
        sleep 0.2
    done
}

# wait_port_closed NAME PORT TIMEOUT_S
wait_port_closed() {
    local name=$1 port=$2 timeout_s=$3 deadline
    deadline=$((SECONDS + timeout_s))
    while port_open "$port"; do
        ((SECONDS < deadline)) || die "$name still listens on 127.0.0.1:$port after ${timeout_s}s"
        sleep 0.2
    done
}

# urlencode STRING: percent-encode everything but RFC 3986 unreserved chars.
urlencode() {
    local s=$1 out='' c i
    for ((i = 0; i < ${#s}; i++)); do
        c=${s:i:1}
        case $c in
            [A-Za-z0-9._~-]) out+=$c ;;
            *) out+=$(printf '%%%02X' "'$c") ;;
        esac
    done
    printf '%s' "$out"
}

APT_UPDATED=0
apt_install() {
    if ((APT_UPDATED == 0)); then
        log "apt-get update"
        apt-get update -qq
        APT_UPDATED=1
    fi
    log "apt-get install $*"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# pg_bin_dir: the newest /usr/lib/postgresql/*/bin.
pg_bin_dir() {
    local d
    d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    [[ -n $d && -x $d/pg_ctl ]] || die "no PostgreSQL server binaries under /usr/lib/postgresql"
    printf '%s' "$d"
}

prepare_state() {
    mkdir -p "$HCX_STATE"
    # Other OS users (postgres) must be able to reach their subdirectories.
    chmod 0755 "$HCX_STATE"
}

# ------------------------------------------------------- machine services

ensure_postgres() {
    local fresh=0
    if ! command -v pg_ctlcluster >/dev/null || ! ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1; then
        apt_install postgresql
        fresh=1
    fi
    local version
    version=$(ls /etc/postgresql | sort -V | tail -n 1)
    [[ -n $version ]] || die "no cluster under /etc/postgresql"
    if ((fresh)); then
        # A package-created cluster asks for passwords on TCP; the tests
        # expect the CI machines' trust setup on 127.0.0.1.
        local hba=/etc/postgresql/$version/main/pg_hba.conf
        if ! grep -q '^host all all 127.0.0.1/32 trust' "$hba"; then
            sed -i '1i host all all 127.0.0.1/32 trust' "$hba"
        fi
        if port_open 5432; then
            pg_ctlcluster --skip-systemctl-redirect "$version" main reload </dev/null >/dev/null
        fi
    fi
    if ! port_open 5432; then
        log "starting PostgreSQL $version (5432)"
        pg_ctlcluster --skip-systemctl-redirect "$version" main start </dev/null >/dev/null \
            || die "pg_ctlcluster failed; see /var/log/postgresql/postgresql-$version-main.log"
        wait_port PostgreSQL 5432 60 "/var/log/postgresql/postgresql-$version-main.log"
    fi
    local i
    for i in $(seq 1 50); do
        pg_isready -q -h 127.0.0.1 -p 5432 && break
        sleep 0.2
    done
    pg_isready -q -h 127.0.0.1 -p 5432 || die "PostgreSQL on 5432 is not ready"
    if [[ $(psql -h 127.0.0.1 -p 5432 -U postgres -d postgres -Atqc \
        "SELECT 1 FROM pg_database WHERE datname = 'hcx_test'") != 1 ]]; then
        log "PostgreSQL 5432: creating database hcx_test"
        createdb -h 127.0.0.1 -p 5432 -U postgres hcx_test
    fi
}

ensure_mariadb() {
    if [[ ! -x /usr/sbin/mariadbd ]] || ! command -v mariadb >/dev/null; then
        apt_install mariadb-server mariadb-client
    fi
    if ! port_open 3306; then
        log "starting MariaDB (3306)"
        mkdir -p /run/mysqld
        chown mysql:mysql /run/mysqld
        start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd </dev/null >/dev/null
        wait_port MariaDB 3306 60 /var/log/mysql/error.log
    fi
    # Root through the unix socket (unix_socket auth as OS root). Every
    # statement is idempotent; ALTER USER keeps the password as documented.
    local pw_sql=${HCX_AUTH_PASSWORD//\'/\'\'}
    local i
    for i in $(seq 1 50); do
        mariadb -uroot -e 'SELECT 1' >/dev/null 2>&1 && break
        sleep 0.2
    done
    mariadb -uroot <<SQL || die "MariaDB: could not create user/database hcx"
CREATE DATABASE IF NOT EXISTS hcx_test;
CREATE USER IF NOT EXISTS 'hcx'@'localhost' IDENTIFIED BY '$pw_sql';
CREATE USER IF NOT EXISTS 'hcx'@'127.0.0.1' IDENTIFIED BY '$pw_sql';
ALTER USER 'hcx'@'localhost' IDENTIFIED BY '$pw_sql';
ALTER USER 'hcx'@'127.0.0.1' IDENTIFIED BY '$pw_sql';
GRANT ALL PRIVILEGES ON \`hcx_test\`.* TO 'hcx'@'localhost';
GRANT ALL PRIVILEGES ON \`hcx_test\`.* TO 'hcx'@'127.0.0.1';
SQL
}

ensure_redis() {
    if ! command -v redis-server >/dev/null || ! command -v redis-cli >/dev/null; then
        apt_install redis-server
    fi
    if ! port_open 6379; then
        log "starting Redis (6379)"
        mkdir -p /var/lib/redis /var/log/redis
        redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" \
            --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log </dev/null >/dev/null
        wait_port Redis 6379 30 /var/log/redis/ci.log
    fi
    [[ $(redis-cli -h 127.0.0.1 -p 6379 ping) == PONG ]] || die "Redis on 6379 does not answer PING"
}

ensure_rabbitmq() {
    if ! command -v rabbitmq-server >/dev/null || ! command -v rabbitmqctl >/dev/null; then
        apt_install rabbitmq-server
    fi
    if ! port_open 5672; then
        if rabbitmqctl -q ping >/dev/null 2>&1; then
            # Node is up but the application was stopped (rabbitmq_app fixture
            # interrupted, for instance).
            log "RabbitMQ node is up, application stopped: start_app"
            rabbitmqctl -q start_app </dev/null >/dev/null
        else
            log "starting RabbitMQ (5672)"
            rabbitmq-server -detached </dev/null >/dev/null 2>&1
        fi
        wait_port RabbitMQ 5672 120 "$(ls -t /var/log/rabbitmq/*.log 2>/dev/null | head -n 1)"
    fi
    local perms
    perms=$(rabbitmqctl -q list_user_permissions "$HCX_AUTH_USER" 2>/dev/null || true)
    if grep -qxP '/\t\.\*\t\.\*\t\.\*' <<<"$perms" \
        && grep -qxP 'hcx\t\.\*\t\.\*\t\.\*' <<<"$perms" \
        && rabbitmqctl -q authenticate_user "$HCX_AUTH_USER" "$HCX_AUTH_PASSWORD" >/dev/null 2>&1; then
        return 0
    fi
    log "RabbitMQ: creating vhost hcx and user hcx"
    if ! rabbitmqctl -q list_vhosts | grep -qx hcx; then
        rabbitmqctl -q add_vhost hcx >/dev/null
    fi
    if rabbitmqctl -q list_users | cut -f1 | grep -qx "$HCX_AUTH_USER"; then
        rabbitmqctl -q change_password "$HCX_AUTH_USER" "$HCX_AUTH_PASSWORD" >/dev/null
    else
        rabbitmqctl -q add_user "$HCX_AUTH_USER" "$HCX_AUTH_PASSWORD" >/dev/null
    fi
    rabbitmqctl -q set_permissions -p / "$HCX_AUTH_USER" '.*' '.*' '.*' >/dev/null
    rabbitmqctl -q set_permissions -p hcx "$HCX_AUTH_USER" '.*' '.*' '.*' >/dev/null
    rabbitmqctl -q authenticate_user "$HCX_AUTH_USER" "$HCX_AUTH_PASSWORD" >/dev/null \
        || die "RabbitMQ: user hcx cannot authenticate"
}

# ------------------------------------------------------ private instances

# PostgreSQL with scram-sha-256 for every connection (the machine's cluster
# trusts everyone). Runs as the postgres OS user; the server refuses root.
ensure_pg_auth() {
    local bin datadir sockdir logfile pwfile
    bin=$(pg_bin_dir)
    datadir=$HCX_STATE/pg-scram
    sockdir=$HCX_STATE/pg-scram-run
    logfile=$HCX_STATE/pg-scram.log

    local major
    major=$(basename "$(dirname "$bin")")
    if [[ -f $datadir/PG_VERSION && $(cat "$datadir/PG_VERSION") != "$major" ]]; then
        log "PostgreSQL $PG_AUTH_PORT: cluster is from version $(cat "$datadir/PG_VERSION"), binaries are $major: recreating"
        if port_open "$PG_AUTH_PORT"; then
            runuser -u postgres -- "/usr/lib/postgresql/$(cat "$datadir/PG_VERSION")/bin/pg_ctl" \
                -D "$datadir" -m fast -w stop >/dev/null 2>&1 || true
        fi
        rm -rf "$datadir"
    fi
    if [[ ! -f $datadir/PG_VERSION ]]; then
        log "PostgreSQL $PG_AUTH_PORT: initdb $datadir (scram-sha-256)"
        rm -rf "$datadir"
        install -d -o postgres -g postgres -m 0700 "$datadir"
        pwfile=$(mktemp)
        printf '%s\n' "$HCX_AUTH_PASSWORD" >"$pwfile"
        chown postgres "$pwfile"
        runuser -u postgres -- "$bin/initdb" -D "$datadir" --auth=scram-sha-256 \
            --username="$HCX_AUTH_USER" --pwfile="$pwfile" --encoding=UTF8 --locale=C \
            --no-sync >"$HCX_STATE/pg-scram-initdb.log" 2>&1 \
            || { rm -f "$pwfile"; cat "$HCX_STATE/pg-scram-initdb.log" >&2; die "initdb failed"; }
        rm -f "$pwfile"
        cat >>"$datadir/postgresql.conf" <<CONF

# healthcheckx test instance
listen_addresses = '127.0.0.1'
port = $PG_AUTH_PORT
unix_socket_directories = '$sockdir'
password_encryption = 'scram-sha-256'
shared_buffers = 16MB
max_connections = 50
fsync = off
synchronous_commit = off
full_page_writes = off
CONF
    fi
    install -d -o postgres -g postgres -m 0755 "$sockdir"
    if ! port_open "$PG_AUTH_PORT"; then
        log "starting private PostgreSQL ($PG_AUTH_PORT)"
        touch "$logfile"
        chown postgres "$logfile"
        runuser -u postgres -- "$bin/pg_ctl" -D "$datadir" -l "$logfile" -w -t 60 start \
            </dev/null >/dev/null || { tail -n 30 "$logfile" >&2; die "private PostgreSQL did not start"; }
        wait_port "private PostgreSQL" "$PG_AUTH_PORT" 30 "$logfile"
    fi
    local has_db
    has_db=$(PGPASSWORD=$HCX_AUTH_PASSWORD psql -h 127.0.0.1 -p "$PG_AUTH_PORT" -U "$HCX_AUTH_USER" \
        -d postgres -Atqc "SELECT 1 FROM pg_database WHERE datname = 'hcx_test'") \
        || die "private PostgreSQL: login as hcx failed"
    if [[ $has_db != 1 ]]; then
        log "private PostgreSQL: creating database hcx_test"
        PGPASSWORD=$HCX_AUTH_PASSWORD createdb -h 127.0.0.1 -p "$PG_AUTH_PORT" -U "$HCX_AUTH_USER" hcx_test
    fi
}

# Redis with a password for the default user and an ACL user hcx.
ensure_redis_auth() {
    local dir=$HCX_STATE/redis-auth conf=$HCX_STATE/redis-auth/redis.conf
    local logfile=$HCX_STATE/redis-auth.log
    mkdir -p "$dir"
    # Rewritten every run (cheap); redis reads it only when it starts.
    (
        umask 077
        cat >"$conf" <<CONF
bind 127.0.0.1
port $REDIS_AUTH_PORT
daemonize yes
pidfile $dir/redis.pid
logfile $logfile
dir $dir
save ""
appendonly no
requirepass "$HCX_AUTH_PASSWORD"
user $HCX_AUTH_USER on >$HCX_AUTH_PASSWORD ~* &* +@all
CONF
    )
    if ! port_open "$REDIS_AUTH_PORT"; then
        log "starting private Redis ($REDIS_AUTH_PORT)"
        redis-server "$conf" </dev/null >/dev/null
        wait_port "private Redis" "$REDIS_AUTH_PORT" 30 "$logfile"
    fi
    [[ $(redis-cli -h 127.0.0.1 -p "$REDIS_AUTH_PORT" --no-auth-warning \
        --user "$HCX_AUTH_USER" --pass "$HCX_AUTH_PASSWORD" ping) == PONG ]] \
        || die "private Redis on $REDIS_AUTH_PORT: AUTH hcx failed"
}

ensure_tools_venv() {
    if [[ -x $SECANTUS_PY ]] && "$SECANTUS_PY" -c 'import secantus, pymongo' 2>/dev/null; then
        return 0
    fi
    log "creating tools virtualenv $TOOLS_VENV ($SECANTUS_SPEC)"
    rm -rf "$TOOLS_VENV"
    "${HCX_PYTHON:-python3}" -m venv "$TOOLS_VENV"
    "$TOOLS_VENV/bin/pip" install -q --disable-pip-version-check --pre "$SECANTUS_SPEC"
    "$SECANTUS_PY" -c 'import secantus, pymongo' || die "secantus is not importable in $TOOLS_VENV"
}

# start_secantus PORT STORAGE LOGFILE [extra args...]: start in the background.
start_secantus() {
    local port=$1 storage=$2 logfile=$3
    shift 3
    mkdir -p "$storage"
    # cwd = storage dir, so no stray ./secantusd.toml is picked up.
    (
        cd "$storage"
        setsid "$SECANTUS_PY" -m secantus --host 127.0.0.1 --port "$port" \
            --storage-path "$storage/data" --standalone --cache-size 128M "$@" \
            </dev/null >>"$logfile" 2>&1 &
        echo $! >"$storage/secantus.pid"
    )
}

stop_secantus() {
    local port=$1 storage=$2 pid deadline
    pid=$(cat "$storage/secantus.pid" 2>/dev/null || true)
    deadline=$((SECONDS + 30))
    # SecantusDB's main thread can miss a SIGTERM that the kernel hands to
    # another thread, and its accept thread notices the stop only on the next
    # connection: so send TERM repeatedly and probe the port meanwhile.
    while [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null; do
        if ((SECONDS >= deadline)); then
            kill -9 "$pid" 2>/dev/null || true
            break
        fi
        kill -TERM "$pid" 2>/dev/null || true
        port_open "$port" || true
        sleep 0.2
    done
    wait_port_closed SecantusDB "$port" 30
}

# MongoDB stand-in: SecantusDB (PyPI secantusdb) speaks the MongoDB wire
# protocol. It supports SCRAM-SHA-256 and SCRAM-SHA-1 users with --auth.
# Users are provisioned by running createUser on a server without --auth, so
# the auth instance is first started once on a throwaway port (never on
# 57017 without auth), then restarted with --auth on 57017.
ensure_mongodb() {
    ensure_tools_venv
    local plain=$HCX_STATE/secantus-$MONGO_PORT
    local authdir=$HCX_STATE/secantus-$MONGO_AUTH_PORT
    if ! port_open "$MONGO_PORT"; then
        log "starting SecantusDB ($MONGO_PORT)"
        start_secantus "$MONGO_PORT" "$plain" "$HCX_STATE/secantus-$MONGO_PORT.log"
        wait_port SecantusDB "$MONGO_PORT" 60 "$HCX_STATE/secantus-$MONGO_PORT.log"
    fi
    if [[ ! -f $authdir/user-provisioned ]]; then
        log "SecantusDB: provisioning user hcx for the --auth instance"
        if port_open "$MONGO_AUTH_PORT"; then stop_secantus "$MONGO_AUTH_PORT" "$authdir"; fi
        rm -rf "$authdir"
        local tmp_port
        tmp_port=$("$SECANTUS_PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
        start_secantus "$tmp_port" "$authdir" "$HCX_STATE/secantus-$MONGO_AUTH_PORT.log"
        wait_port "SecantusDB (provisioning)" "$tmp_port" 60 "$HCX_STATE/secantus-$MONGO_AUTH_PORT.log"
        HCX_PW=$HCX_AUTH_PASSWORD "$SECANTUS_PY" - "$tmp_port" "$HCX_AUTH_USER" <<'PY'
import os, sys
from pymongo import MongoClient
port, user = int(sys.argv[1]), sys.argv[2]
c = MongoClient("127.0.0.1", port, serverSelectionTimeoutMS=10000)
c.admin.command("createUser", user, pwd=os.environ["HCX_PW"],
                roles=[{"role": "root", "db": "admin"}],
                mechanisms=["SCRAM-SHA-256", "SCRAM-SHA-1"])
PY
        stop_secantus "$tmp_port" "$authdir"
        touch "$authdir/user-provisioned"
    fi
    if ! port_open "$MONGO_AUTH_PORT"; then
        log "starting SecantusDB with --auth ($MONGO_AUTH_PORT)"
        start_secantus "$MONGO_AUTH_PORT" "$authdir" "$HCX_STATE/secantus-$MONGO_AUTH_PORT.log" --auth
        wait_port "SecantusDB --auth" "$MONGO_AUTH_PORT" 60 "$HCX_STATE/secantus-$MONGO_AUTH_PORT.log"
    fi
    # One check of both: plain answers, auth instance accepts hcx and
    # rejects an unauthenticated command.
    HCX_PW=$HCX_AUTH_PASSWORD "$SECANTUS_PY" - "$MONGO_PORT" "$MONGO_AUTH_PORT" "$HCX_AUTH_USER" <<'PY' \
        || die "SecantusDB check failed (logs: $HCX_STATE/secantus-*.log)"
import os, sys
from pymongo import MongoClient
from pymongo.errors import OperationFailure
plain, auth, user = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
MongoClient("127.0.0.1", plain, serverSelectionTimeoutMS=10000).admin.command("ping")
MongoClient("127.0.0.1", auth, username=user, password=os.environ["HCX_PW"], authSource="admin",
            serverSelectionTimeoutMS=10000).test.list_collection_names()
try:
    MongoClient("127.0.0.1", auth, serverSelectionTimeoutMS=10000).test.list_collection_names()
except OperationFailure:
    pass
else:
    sys.exit(f"port {auth}: unauthenticated listCollections succeeded; --auth is off")
PY
}

# ------------------------------------------------------------ environment

write_env() {
    local pw bin envfile tmp
    pw=$(urlencode "$HCX_AUTH_PASSWORD")
    bin=$(pg_bin_dir)
    envfile=$HCX_STATE/services.env
    tmp=$(mktemp "$HCX_STATE/services.env.XXXXXX")
    {
        echo "# written by scripts/services.sh; source this file"
        echo "export HCX_STATE='$HCX_STATE'"
        echo "export HCX_POSTGRES_URL='postgresql://postgres@127.0.0.1:5432/hcx_test'"
        echo "export HCX_PG_AUTH_URL='postgresql://$HCX_AUTH_USER:$pw@127.0.0.1:$PG_AUTH_PORT/hcx_test'"
        echo "export HCX_PG_BIN='$bin'"
        echo "export HCX_MYSQL_URL='mysql://$HCX_AUTH_USER:$pw@127.0.0.1:3306/hcx_test'"
        echo "export HCX_REDIS_URL='redis://127.0.0.1:6379/0'"
        echo "export HCX_REDIS_AUTH_URL='redis://$HCX_AUTH_USER:$pw@127.0.0.1:$REDIS_AUTH_PORT/0'"
        echo "export HCX_AMQP_URL='amqp://guest:guest@127.0.0.1:5672/%2F'"
        echo "export HCX_AMQP_AUTH_URL='amqp://$HCX_AUTH_USER:$pw@127.0.0.1:5672/hcx'"
        echo "export HCX_MONGODB_URL='mongodb://127.0.0.1:$MONGO_PORT'"
        echo "export HCX_MONGODB_AUTH_URL='mongodb://$HCX_AUTH_USER:$pw@127.0.0.1:$MONGO_AUTH_PORT/?authSource=admin'"
        echo "export HCX_SECANTUS_PYTHON='$SECANTUS_PY'"
        echo "export HCX_AUTH_USER='$HCX_AUTH_USER'"
        echo "export HCX_AUTH_PASSWORD='$HCX_AUTH_PASSWORD'"
        local extra
        for extra in "${EXTRA_ENV[@]}"; do
            "$extra"
        done
    } >"$tmp"
    chmod 0644 "$tmp"
    mv -f "$tmp" "$envfile"
    cat "$envfile"
}

# Servers of further checks live in scripts/services.d/*.sh, one file each. A file defines its
# functions and registers them: `EXTRA_SERVICES+=(ensure_x)` (starts the server, idempotent) and
# `EXTRA_ENV+=(env_x)` (prints its `export` lines for services.env).
EXTRA_SERVICES=()
EXTRA_ENV=()
SERVICES_D=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/services.d
if [[ -d $SERVICES_D ]]; then
    for plugin in "$SERVICES_D"/*.sh; do
        [[ -e $plugin ]] || continue
        # shellcheck source=/dev/null
        source "$plugin"
    done
fi

main() {
    cd /
    local t0=$SECONDS
    [[ $(id -u) == 0 ]] || die "run as root (installs packages, switches to the postgres user)"
    prepare_state
    ensure_postgres
    ensure_mariadb
    ensure_redis
    ensure_rabbitmq
    ensure_pg_auth
    ensure_redis_auth
    ensure_mongodb
    local extra
    for extra in "${EXTRA_SERVICES[@]}"; do
        "$extra"
    done
    write_env
    log "all services up ($((SECONDS - t0))s); env: $HCX_STATE/services.env"
}

main "$@"
