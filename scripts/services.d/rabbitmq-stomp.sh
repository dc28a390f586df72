# RabbitMQ's STOMP plugin (rabbitmq_stomp) for the activemq_check tests: a second STOMP broker,
# on the machine's RabbitMQ (ensure_rabbitmq runs first), listening on 127.0.0.1:61623 so that
# ActiveMQ keeps the standard 61613. Its users are RabbitMQ's: guest/guest and hcx (vhost hcx).
# The tests stop and start it with the broker's application (the rabbitmq_app fixture).
#
# Sourced by scripts/services.sh, which provides log, die, port_open and wait_port.

RABBITMQ_STOMP_PORT=61623

ensure_rabbitmq_stomp() {
    local conf=/etc/rabbitmq/rabbitmq.conf
    local listener="stomp.listeners.tcp.1 = 127.0.0.1:$RABBITMQ_STOMP_PORT"
    # For the next boots of the node.
    if ! grep -qxF "$listener" "$conf" 2>/dev/null; then
        log "RabbitMQ: STOMP listener on $RABBITMQ_STOMP_PORT in $conf"
        sed -i '/^stomp\.listeners\.tcp\./d' "$conf" 2>/dev/null || true
        if [[ -s $conf && $(tail -c 1 "$conf") != "" ]]; then
            echo >>"$conf"
        fi
        echo "$listener" >>"$conf"
    fi
    if port_open "$RABBITMQ_STOMP_PORT"; then
        return 0
    fi
    # For the running node, which read its configuration when it booted: the listener is set in
    # the plugin's environment before the plugin starts (or is restarted to take it). Loading
    # the application first keeps its defaults from overwriting the setting.
    rabbitmqctl -q eval \
        "application:load(rabbitmq_stomp), application:set_env(rabbitmq_stomp, tcp_listeners, [{\"127.0.0.1\", $RABBITMQ_STOMP_PORT}])." \
        >/dev/null || die "RabbitMQ: cannot set the STOMP listener"
    if rabbitmq-plugins -q list -e rabbitmq_stomp 2>/dev/null | grep -q 'rabbitmq_stomp'; then
        log "RabbitMQ: restarting rabbitmq_stomp on $RABBITMQ_STOMP_PORT"
        rabbitmqctl -q eval 'application:stop(rabbitmq_stomp), application:start(rabbitmq_stomp).' \
            >/dev/null || die "RabbitMQ: cannot restart rabbitmq_stomp"
    else
        log "RabbitMQ: enabling rabbitmq_stomp ($RABBITMQ_STOMP_PORT)"
        rabbitmq-plugins -q enable rabbitmq_stomp >/dev/null || die "RabbitMQ: cannot enable rabbitmq_stomp"
    fi
    wait_port "RabbitMQ STOMP" "$RABBITMQ_STOMP_PORT" 60
}

env_rabbitmq_stomp() {
    local pw
    pw=$(urlencode "$HCX_AUTH_PASSWORD")
    echo "export HCX_RABBITMQ_STOMP_URL='stomp://guest:guest@127.0.0.1:$RABBITMQ_STOMP_PORT'"
    echo "export HCX_RABBITMQ_STOMP_AUTH_URL='stomp://$HCX_AUTH_USER:$pw@127.0.0.1:$RABBITMQ_STOMP_PORT/hcx'"
}

EXTRA_SERVICES+=(ensure_rabbitmq_stomp)
EXTRA_ENV+=(env_rabbitmq_stomp)
