#!/usr/bin/env bash
# Builds the portable release wheel (abi3, CPython >= 3.9, manylinux2014, no external libraries)
# into dist/ and shows what auditwheel makes of it. About 6-10 minutes on 2 cores the first time.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
ensure_venv
pip install --quiet ziglang auditwheel
step "building the release wheel"
maturin build --release --zig --compatibility manylinux2014 -o dist
step "auditwheel"
auditwheel show dist/healthcheckx-*-cp39-abi3-manylinux*.whl
