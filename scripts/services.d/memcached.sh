# Memcached for the memcached check's tests (sourced by scripts/services.sh).
#
#   Memcached 11211  Debian package, no authentication, 127.0.0.1 only
#
# Private restartable instances (tests/servers.py MemcachedServer) run the same binary.

MEMCACHED_PORT=11211

ensure_memcached() {
    if ! command -v memcached >/dev/null; then
        apt_install memcached
    fi
    if ! port_open "$MEMCACHED_PORT"; then
        log "starting memcached ($MEMCACHED_PORT)"
        # -U 0: no UDP listener (the amplification vector, and unused here). memcached refuses
        # to run as root without -u.
        memcached -d -l 127.0.0.1 -p "$MEMCACHED_PORT" -U 0 -m 64 -u nobody \
            -P "$HCX_STATE/memcached-$MEMCACHED_PORT.pid" </dev/null >/dev/null 2>&1 \
            || die "memcached did not start"
        wait_port memcached "$MEMCACHED_PORT" 30
    fi
    local answer
    answer=$(timeout 5 bash -c "exec 3<>/dev/tcp/127.0.0.1/$MEMCACHED_PORT; printf 'version\r\n' >&3; head -c 8 <&3")
    [[ $answer == "VERSION " ]] || die "memcached on $MEMCACHED_PORT does not answer version"
}

env_memcached() {
    echo "export HCX_MEMCACHED_URL='memcached://127.0.0.1:$MEMCACHED_PORT'"
    echo "export HCX_MEMCACHED_BIN='$(command -v memcached)'"
}

EXTRA_SERVICES+=(ensure_memcached)
EXTRA_ENV+=(env_memcached)
