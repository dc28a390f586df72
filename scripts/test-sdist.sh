#!/usr/bin/env bash
# The sdist builds and installs from scratch: `maturin sdist`, its contents checked, then
# `pip install` of it into a new virtualenv that has nothing but pip (pip fetches maturin as
# pyproject.toml's build-system says; cargo builds every crate from the sdist's own sources and
# Cargo.lock), then the installed package, imported from outside the clone, runs checks
# and shows its licence files.
#
#   bash scripts/test-sdist.sh            the test command's: debug profile, in the target
#                                         directory of the test builds, whose compiled
#                                         dependencies it reuses (2 to 4 minutes)
#   bash scripts/test-sdist.sh --release  as a user's `pip install healthcheckx-2.0.0.tar.gz`
#                                         builds it: release profile, a target directory of its
#                                         own ($HCX_BUILD/target-sdist; about 12 minutes on 2
#                                         cores the first time). scripts/release.sh runs this one.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
release=0
[[ ${1:-} == --release ]] && release=1

ensure_venv
bash scripts/licenses.sh

work=$(mktemp -d /var/tmp/healthcheckx-sdist.XXXXXX)
trap 'rm -rf "$work"' EXIT

step "maturin sdist"
maturin sdist -o "$work/dist" >"$work/sdist.log" 2>&1 || { cat "$work/sdist.log" >&2; exit 1; }
sdist=$(ls "$work"/dist/healthcheckx-*.tar.gz)
top=$(basename "$sdist" .tar.gz)
listing=$(tar tzf "$sdist")
for file in LICENSE THIRD-PARTY-LICENSES.txt Cargo.lock pyproject.toml \
    crates/healthcheckx/LICENSE crates/healthcheckx-py/LICENSE \
    vendor/lapin/Cargo.toml vendor/oracle-rs/Cargo.toml vendor/README.md; do
    grep -qx "$top/$file" <<<"$listing" || { echo "the sdist lacks $file" >&2; exit 1; }
done
pkg_info=$(tar xzf "$sdist" "$top/PKG-INFO" -O)
for field in "License-Expression: MIT" "License-File: LICENSE" \
    "License-File: THIRD-PARTY-LICENSES.txt"; do
    grep -qx "$field" <<<"$pkg_info" || { echo "PKG-INFO lacks '$field'" >&2; exit 1; }
done
echo "$sdist: $(wc -l <<<"$listing") files, $(du -h "$sdist" | cut -f1)"

step "pip install of the sdist into a new virtualenv"
"${PYTHON:-python3}" -m venv "$work/venv"
# Not --locked: the sdist's workspace lists only the crates the package builds, so cargo drops
# the other members' entries from its Cargo.lock; every version that stays is the locked one.
if ((release)); then
    export CARGO_TARGET_DIR=$HCX_BUILD/target-sdist
else
    export MATURIN_PEP517_ARGS="--profile dev"
fi
start=$SECONDS
if ! "$work/venv/bin/pip" install --no-cache-dir --quiet "$sdist" >"$work/pip.log" 2>&1; then
    tail -40 "$work/pip.log" >&2
    echo "pip install of the sdist failed" >&2
    exit 1
fi
echo "built and installed in $((SECONDS - start)) s (CARGO_TARGET_DIR=$CARGO_TARGET_DIR)"

step "the installed package runs checks"
cd "$work"
HCX_SDIST_VENV=$work/venv "$work/venv/bin/python" - <<'PY'
import http.server
import importlib.metadata
import os
import socket
import threading

import healthcheckx
from healthcheckx import Health

# Imported from the new virtualenv, not from the clone.
venv = os.path.realpath(os.environ["HCX_SDIST_VENV"])
assert os.path.realpath(healthcheckx.__file__).startswith(venv), healthcheckx.__file__

class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Quiet)
threading.Thread(target=server.serve_forever, daemon=True).start()
closed = socket.socket()
closed.bind(("127.0.0.1", 0))
closed_port = closed.getsockname()[1]  # bound, never listening: connections are refused

health = (
    Health()
    .http_check(f"http://127.0.0.1:{server.server_port}/", name="http")
    .tcp_check("127.0.0.1", server.server_port, name="tcp")
    .sqlite_check(":memory:", name="sqlite")
    .disk_check("/", min_free_percent=0.001, name="disk")
    .tcp_check("127.0.0.1", closed_port, name="refused")
)
results = {r.name: r for r in health.run()}
for r in results.values():
    print(f"  {r.name}: {r.status} ({r.duration_ms:.1f} ms) {r.message or ''}")
for name in ("http", "tcp", "sqlite", "disk"):
    assert results[name].status == "healthy", results[name]
assert results["refused"].status == "unhealthy", results["refused"]
health.close()
server.shutdown()

dist = importlib.metadata.distribution("healthcheckx")
assert dist.metadata["License-Expression"] == "MIT", dist.metadata["License-Expression"]
files = dist.metadata.get_all("License-File")
assert sorted(files) == ["LICENSE", "THIRD-PARTY-LICENSES.txt"], files
notices = dist.read_text("licenses/THIRD-PARTY-LICENSES.txt")
assert notices and "tokio" in notices and "rustls" in notices, "third-party notices missing"
assert "MIT License" in dist.read_text("licenses/LICENSE")
print(f"  {dist.metadata['Name']} {dist.version}: License-Expression MIT, License-File {files}")
PY
