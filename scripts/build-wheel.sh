#!/usr/bin/env bash
# Builds the portable release wheel (abi3, CPython >= 3.9, manylinux2014) into dist/ and checks
# with auditwheel that it needs no shared library beyond glibc's. About 10 minutes on 2 cores the
# first time; the cargo target directory outside the clone makes later builds quick.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
ensure_venv
pip install --quiet ziglang auditwheel
step "building the release wheel"
rm -f dist/healthcheckx-*.whl
maturin build --quiet --release --zig --compatibility manylinux2014 -o dist
wheel=$(ls dist/healthcheckx-*-cp39-abi3-manylinux*.whl)
step "auditwheel show $wheel"
report=$(auditwheel show "$wheel")
echo "$report"
grep -q 'consistent with the following platform tag: *"manylinux_2_17_x86_64"' <<<"$(tr -s ' \n' ' ' <<<"$report")" ||
    { echo "the wheel is not manylinux2014 (manylinux_2_17)" >&2; exit 1; }
if grep -qi "external shared libraries" <<<"$report"; then
    echo "the wheel needs external shared libraries" >&2
    exit 1
fi
ls -l "$wheel"
