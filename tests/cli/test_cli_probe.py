"""`healthcheckx probe URL`: exit 0 iff a GET answers 2xx within --timeout (Docker HEALTHCHECK
without curl)."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

# Each test runs the built command (and most, the servers): not a pure-logic test.
pytestmark = pytest.mark.servers


class Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 (the stdlib's name)
        code = int(self.path.strip("/").split("/")[0] or "200")
        self.send_response(code)
        if code in (301, 302):
            self.send_header("Location", "/200")
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def web():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("path", ["/200", "/204"])
def test_2xx_exits_0_silently(run_cli, web, path):
    ran = run_cli("probe", web + path)
    assert (ran.code, ran.out, ran.err) == (0, "", "")


@pytest.mark.parametrize(
    ("path", "shown"),
    [("/503", "HTTP 503"), ("/404", "HTTP 404"), ("/301", "HTTP 301"), ("/500", "HTTP 500")],
)
def test_anything_else_exits_1_saying_what(run_cli, web, path, shown):
    ran = run_cli("probe", web + path)
    assert ran.code == 1
    assert ran.err == f"healthcheckx: probe failed: {shown}\n"
    assert run_cli("probe", "-q", web + path).err == ""


def test_refused_and_silent_servers(run_cli, closed_port, tarpit):
    refused = run_cli("probe", f"http://127.0.0.1:{closed_port}/health/")
    assert refused.code == 1
    assert refused.err == "healthcheckx: probe failed: Connection refused\n"
    silent = run_cli("probe", "--timeout", "500ms", f"http://127.0.0.1:{tarpit}/health/")
    assert silent.code == 1
    assert silent.err == "healthcheckx: probe failed: timed out after 0.5s\n"
    assert silent.seconds < 1.5, silent.seconds


def test_a_bad_url_exits_2(run_cli):
    ran = run_cli("probe", "ftp://127.0.0.1/")
    assert ran.code == 2
    assert 'unsupported URL scheme "ftp"' in ran.err
    assert run_cli("probe", "not a url").code == 2
    assert run_cli("probe").code == 2


def test_the_console_script_probes_too(run_cli, console, web):
    assert run_cli("probe", web + "/200", program=console).code == 0
    assert run_cli("probe", web + "/503", program=console).code == 1
