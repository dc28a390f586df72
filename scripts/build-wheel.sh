#!/usr/bin/env bash
# Builds the portable release wheel (abi3, CPython >= 3.9, manylinux2014) into dist/ and checks
# with auditwheel that it needs no shared library beyond glibc's. About 10 minutes on 2 cores the
# first time; the cargo target directory outside the clone makes later builds quick.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
ensure_venv
pip install --quiet ziglang auditwheel
# The third-party licence notices that pyproject.toml's license-files puts into the wheel.
bash scripts/licenses.sh
step "building the release wheel"
rm -f dist/healthcheckx-*.whl
# Release builds keep a target directory of their own: a debug build never waits on one.
CARGO_TARGET_DIR=$HCX_BUILD/target-release \
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
# The wheel's metadata lists the licence files, the files are in it, and maturin's CycloneDX SBOM
# of the Rust crates stays in it.
step "licences and SBOM in $wheel"
python - "$wheel" <<'PY'
import json, sys, zipfile

wheel = zipfile.ZipFile(sys.argv[1])
names = wheel.namelist()
dist_info = next(n.split("/")[0] for n in names if n.split("/")[0].endswith(".dist-info"))
metadata = wheel.read(f"{dist_info}/METADATA").decode()
fields = [line for line in metadata.splitlines() if line.startswith(("License-", "Metadata-"))]
for expected in ("License-Expression: MIT", "License-File: LICENSE",
                 "License-File: THIRD-PARTY-LICENSES.txt"):
    assert expected in fields, f"METADATA lacks {expected!r}: {fields}"
licence = wheel.read(f"{dist_info}/licenses/LICENSE").decode()
assert "MIT License" in licence and "healthcheckx developers" in licence
notices = wheel.read(f"{dist_info}/licenses/THIRD-PARTY-LICENSES.txt").decode()
for crate in ("tokio", "rustls", "aws-lc-sys", "pyo3", "lapin", "webpki-roots"):
    assert f"\n  {crate} " in notices, f"the notices do not name {crate}"
sboms = [n for n in names if n.startswith(f"{dist_info}/sboms/") and n.endswith(".json")]
assert sboms, "no SBOM in the wheel"
sbom = json.loads(wheel.read(sboms[0]))
assert sbom.get("bomFormat") == "CycloneDX", sboms[0]
components = {c["name"] for c in sbom.get("components", [])}
assert {"tokio", "rustls"} <= components, "the SBOM does not list the crates"
print(f"{', '.join(fields)}; notices {len(notices) // 1024} KiB; "
      f"{sboms[0].split('/')[-1]}: {len(components)} components")
PY
ls -l "$wheel"
