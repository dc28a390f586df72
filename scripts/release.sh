#!/usr/bin/env bash
# Builds and checks what a release publishes, into dist/. Run on a machine that reaches crates.io,
# PyPI and the RustSec advisory database:
#
#   1. `cargo deny check`: advisories (RustSec, fetched now), licences, bans, sources (deny.toml)
#   2. the crates: `cargo publish --dry-run` (scripts/check-package.sh --verify)
#   3. the sdist into dist/, and the same sdist installed from scratch in a new virtualenv,
#      release profile (scripts/test-sdist.sh --release)
#   4. the wheel into dist/ (scripts/build-wheel.sh: licence files and CycloneDX SBOM in its
#      .dist-info, auditwheel)
#   5. when crates/healthcheckx-cli exists, the command: dist/healthcheckx-VERSION-TARGET.tar.gz
#      holding the binary, LICENSE, THIRD-PARTY-LICENSES.txt (cargo-about, from Cargo.lock) and
#      healthcheckx.cdx.json (its CycloneDX SBOM, cargo-cyclonedx)
#   6. dist/SHA256SUMS
#
# Publishing itself (`cargo publish`, uploading to PyPI, attaching the command's archive) is done
# by hand from dist/ once this has passed. `--no-advisories` skips step 1's advisory check, to try
# the script where the database cannot be fetched: what it builds is then not a release.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
advisories=1
[[ ${1:-} == --no-advisories ]] && advisories=0

ensure_venv
ensure_cargo_deny
version=$(cargo pkgid --offline -p healthcheckx | sed 's/.*[#@]//')
target=$(rustc -vV | sed -n 's/^host: //p')
mkdir -p dist
rm -f dist/healthcheckx-"$version"* dist/SHA256SUMS

if ((advisories)); then
    step "cargo deny check (advisories fetched from RustSec, licences, bans, sources)"
    cargo deny check
else
    step "cargo deny check licenses bans sources (advisories SKIPPED: not a release)"
    cargo fetch --locked --quiet
    cargo deny --offline check licenses bans sources
fi

bash scripts/check-package.sh --verify

step "sdist"
bash scripts/licenses.sh
maturin sdist -o dist
bash scripts/test-sdist.sh --release

bash scripts/build-wheel.sh

if [[ -f crates/healthcheckx-cli/Cargo.toml ]]; then
    step "the command: healthcheckx $version for $target"
    ensure_cargo_cyclonedx
    cargo build --locked --release -p healthcheckx-cli --bin healthcheckx
    stage=dist/healthcheckx-$version-$target
    rm -rf "$stage"
    mkdir -p "$stage"
    cp "$CARGO_TARGET_DIR/release/healthcheckx" LICENSE "$stage/"
    bash scripts/licenses.sh healthcheckx-cli "$stage/THIRD-PARTY-LICENSES.txt"
    # The SBOM of the binary's crates on this target, with their licences and checksums from
    # Cargo.lock. cargo-cyclonedx writes one beside each workspace crate's Cargo.toml: the
    # command's is kept, the others removed.
    cargo cyclonedx --manifest-path crates/healthcheckx-cli/Cargo.toml --format json \
        --spec-version 1.5 --target "$target" --override-filename healthcheckx.cdx
    mv crates/healthcheckx-cli/healthcheckx.cdx.json "$stage/"
    rm -f crates/*/healthcheckx.cdx.json
    python3 - "$stage/healthcheckx.cdx.json" <<'PY'
import json, sys
sbom = json.load(open(sys.argv[1]))
assert sbom["bomFormat"] == "CycloneDX", "not a CycloneDX document"
names = {c["name"] for c in sbom.get("components", [])}
assert {"healthcheckx", "tokio", "rustls"} <= names, "the SBOM lacks the engine's crates"
print(f"{sys.argv[1]}: CycloneDX {sbom['specVersion']}, {len(names)} components")
PY
    "$stage/healthcheckx" --version
    tar -C dist -czf "$stage.tar.gz" "$(basename "$stage")"
    rm -rf "$stage"
else
    step "no crates/healthcheckx-cli: no command to package"
fi

step "dist/"
(cd dist && sha256sum healthcheckx-"$version"* >SHA256SUMS && cat SHA256SUMS)
((advisories)) || echo "advisories were not checked: not a release" >&2
