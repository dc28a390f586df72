# ActiveMQ (Debian package `activemq`) for the activemq_check tests, as a private instance under
# $HCX_STATE/activemq: OpenWire on 61616, STOMP on 61613, and the user hcx with the shared
# password (connections without credentials are let in too, as anonymous). The package's own
# instance (/etc/activemq, started by its init script) is left alone: its options file fixes the
# data directory and a 512 MB heap, so the broker is started here with java directly.
#
# Slow to start (about 20 s): started once and left running, like the machine's other servers.
# Sourced by scripts/services.sh, which provides log, die, port_open, wait_port and apt_install.

ACTIVEMQ_OPENWIRE_PORT=61616
ACTIVEMQ_STOMP_PORT=61613
ACTIVEMQ_DIR=$HCX_STATE/activemq

# xml_escape TEXT: TEXT as an XML attribute value.
xml_escape() {
    local s=$1
    s=${s//&/&amp;}
    s=${s//</&lt;}
    s=${s//>/&gt;}
    s=${s//\"/&quot;}
    printf '%s' "$s"
}

write_activemq_config() {
    local conf=$ACTIVEMQ_DIR/conf
    mkdir -p "$conf"
    # The password is in this file: readable by the broker's user only.
    (
        umask 077
        cat >"$conf/activemq.xml" <<XML
<beans xmlns="http://www.springframework.org/schema/beans"
       xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
       xsi:schemaLocation="http://www.springframework.org/schema/beans http://www.springframework.org/schema/beans/spring-beans-2.0.xsd
         http://activemq.apache.org/schema/core http://activemq.apache.org/schema/core/activemq-core.xsd">
  <!-- written by scripts/services.d/activemq.sh -->
  <broker xmlns="http://activemq.apache.org/schema/core" brokerName="healthcheckx-test"
          useJmx="false" persistent="false" dataDirectory="$ACTIVEMQ_DIR/data">
    <plugins>
      <simpleAuthenticationPlugin anonymousAccessAllowed="true">
        <users>
          <authenticationUser username="$(xml_escape "$HCX_AUTH_USER")"
                              password="$(xml_escape "$HCX_AUTH_PASSWORD")" groups="users"/>
        </users>
      </simpleAuthenticationPlugin>
    </plugins>
    <systemUsage>
      <systemUsage>
        <memoryUsage><memoryUsage limit="32 mb"/></memoryUsage>
        <tempUsage><tempUsage limit="64 mb"/></tempUsage>
      </systemUsage>
    </systemUsage>
    <transportConnectors>
      <transportConnector name="openwire" uri="tcp://127.0.0.1:$ACTIVEMQ_OPENWIRE_PORT"/>
      <transportConnector name="stomp" uri="stomp://127.0.0.1:$ACTIVEMQ_STOMP_PORT"/>
    </transportConnectors>
  </broker>
</beans>
XML
    )
    if [[ -f /etc/activemq/instances-available/main/log4j2.properties ]]; then
        cp /etc/activemq/instances-available/main/log4j2.properties "$conf/"
    fi
    mkdir -p "$ACTIVEMQ_DIR/data" "$ACTIVEMQ_DIR/tmp"
    chown -R activemq "$ACTIVEMQ_DIR"
}

ensure_activemq() {
    if [[ ! -f /usr/share/activemq/bin/activemq.jar || ! -f /usr/share/activemq/lib/activemq-stomp.jar ]]; then
        apt_install activemq
    fi
    write_activemq_config
    if port_open "$ACTIVEMQ_OPENWIRE_PORT" && port_open "$ACTIVEMQ_STOMP_PORT"; then
        return 0
    fi
    if port_open "$ACTIVEMQ_OPENWIRE_PORT" || port_open "$ACTIVEMQ_STOMP_PORT"; then
        die "ActiveMQ: one of 127.0.0.1:$ACTIVEMQ_OPENWIRE_PORT/$ACTIVEMQ_STOMP_PORT is taken by another process"
    fi
    local logfile=$HCX_STATE/activemq.log java=${JAVA_HOME:+$JAVA_HOME/bin/}java
    command -v "$java" >/dev/null || java=/usr/lib/jvm/default-java/bin/java
    log "starting ActiveMQ (OpenWire $ACTIVEMQ_OPENWIRE_PORT, STOMP $ACTIVEMQ_STOMP_PORT)"
    touch "$logfile"
    chown activemq "$logfile"
    # The flags of the package's /usr/bin/activemq for Java 9 and later.
    (
        cd "$ACTIVEMQ_DIR"
        setsid runuser -u activemq -- "$java" -Xms64M -Xmx256M -Djava.awt.headless=true \
            --add-reads=java.xml=java.logging \
            --add-opens java.base/java.security=ALL-UNNAMED \
            --add-opens java.base/java.net=ALL-UNNAMED \
            --add-opens java.base/java.lang=ALL-UNNAMED \
            --add-opens java.base/java.util=ALL-UNNAMED \
            --add-opens java.naming/javax.naming.spi=ALL-UNNAMED \
            --add-opens java.base/java.util.concurrent=ALL-UNNAMED \
            --add-opens java.base/java.util.concurrent.atomic=ALL-UNNAMED \
            -Djava.io.tmpdir="$ACTIVEMQ_DIR/tmp" \
            -Dactivemq.classpath="$ACTIVEMQ_DIR/conf" \
            -Dactivemq.home=/usr/share/activemq \
            -Dactivemq.base="$ACTIVEMQ_DIR" \
            -Dactivemq.conf="$ACTIVEMQ_DIR/conf" \
            -Dactivemq.data="$ACTIVEMQ_DIR/data" \
            -jar /usr/share/activemq/bin/activemq.jar \
            start "xbean:file:$ACTIVEMQ_DIR/conf/activemq.xml" \
            </dev/null >>"$logfile" 2>&1 &
        echo $! >"$ACTIVEMQ_DIR/activemq.pid"
    )
    wait_port "ActiveMQ STOMP" "$ACTIVEMQ_STOMP_PORT" 180 "$logfile"
    wait_port "ActiveMQ OpenWire" "$ACTIVEMQ_OPENWIRE_PORT" 60 "$logfile"
}

env_activemq() {
    local pw
    pw=$(urlencode "$HCX_AUTH_PASSWORD")
    echo "export HCX_ACTIVEMQ_STOMP_URL='stomp://127.0.0.1:$ACTIVEMQ_STOMP_PORT'"
    echo "export HCX_ACTIVEMQ_STOMP_AUTH_URL='stomp://$HCX_AUTH_USER:$pw@127.0.0.1:$ACTIVEMQ_STOMP_PORT'"
    echo "export HCX_ACTIVEMQ_OPENWIRE_URL='tcp://127.0.0.1:$ACTIVEMQ_OPENWIRE_PORT'"
}

EXTRA_SERVICES+=(ensure_activemq)
EXTRA_ENV+=(env_activemq)
