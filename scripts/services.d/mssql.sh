# SQL Server stand-in for the mssql_check tests: pysqlbridge (PyPI), a server of SQL Server's
# wire protocol (TDS: PRELOGIN, TLS tunnelled in the login, LOGIN7 with SQL logins, SQL batches)
# in the tools virtualenv, on 127.0.0.1:1433 with the SQL login hcx and one table. Its login
# refusal is SQL Server's own (error 18456). Test-only: nothing of it reaches the wheel.
#
# Sourced by scripts/services.sh, which provides log, die, port_open, wait_port,
# ensure_tools_venv and $TOOLS_VENV.

MSSQL_PORT=1433
MSSQL_DIR=$HCX_STATE/pysqlbridge-$MSSQL_PORT
PYSQLBRIDGE_SPEC=${HCX_PYSQLBRIDGE_SPEC:-pysqlbridge==2.1.3}

ensure_pysqlbridge() {
    ensure_tools_venv
    if ! "$TOOLS_VENV/bin/python" -c 'import pysqlbridge.server' 2>/dev/null; then
        log "installing $PYSQLBRIDGE_SPEC into $TOOLS_VENV"
        "$TOOLS_VENV/bin/pip" install -q --disable-pip-version-check "$PYSQLBRIDGE_SPEC"
        "$TOOLS_VENV/bin/python" -c 'import pysqlbridge.server' \
            || die "pysqlbridge is not importable in $TOOLS_VENV"
    fi
}

# write_pysqlbridge_config DIR: a configuration with the login hcx, whose password the server
# reads from $HCX_MSSQL_PASSWORD (so it is in no file), and a one-row table.
write_pysqlbridge_config() {
    local dir=$1
    mkdir -p "$dir"
    printf 'id,name\n1,healthcheckx\n' >"$dir/probe.csv"
    cat >"$dir/bridge.json" <<JSON
{
  "logins": [{"user": "$HCX_AUTH_USER", "password": "\${env:HCX_MSSQL_PASSWORD}"}],
  "tables": [{"name": "probe", "csv": "probe.csv"}]
}
JSON
}

ensure_mssql() {
    ensure_pysqlbridge
    write_pysqlbridge_config "$MSSQL_DIR"
    if port_open "$MSSQL_PORT"; then
        return 0
    fi
    log "starting pysqlbridge ($MSSQL_PORT)"
    (
        cd "$MSSQL_DIR"
        HCX_MSSQL_PASSWORD=$HCX_AUTH_PASSWORD setsid "$TOOLS_VENV/bin/python" -m pysqlbridge \
            --config "$MSSQL_DIR/bridge.json" --host 127.0.0.1 --port "$MSSQL_PORT" \
            </dev/null >>"$HCX_STATE/pysqlbridge-$MSSQL_PORT.log" 2>&1 &
        echo $! >"$MSSQL_DIR/pysqlbridge.pid"
    )
    wait_port pysqlbridge "$MSSQL_PORT" 60 "$HCX_STATE/pysqlbridge-$MSSQL_PORT.log"
}

env_mssql() {
    local pw
    pw=$(urlencode "$HCX_AUTH_PASSWORD")
    # The server's certificate is self-signed.
    echo "export HCX_MSSQL_URL='mssql://$HCX_AUTH_USER:$pw@127.0.0.1:$MSSQL_PORT/master?trust_server_certificate=true'"
}

EXTRA_SERVICES+=(ensure_mssql)
EXTRA_ENV+=(env_mssql)
