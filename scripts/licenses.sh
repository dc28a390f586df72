#!/usr/bin/env bash
# Third-party licence notices, generated from Cargo.lock by cargo-about (settings in about.toml,
# layout in about.hbs): the crates compiled into an artifact, grouped by the licence each is used
# under, with that licence's text. Offline: the texts come from the crates' sources.
#
#   bash scripts/licenses.sh [CRATE [OUTPUT]]
#
# CRATE defaults to healthcheckx-py, the Python extension, and OUTPUT to THIRD-PARTY-LICENSES.txt
# at the root (not committed), which pyproject.toml's `license-files` puts into the wheel's and
# the sdist's metadata; scripts/build-wheel.sh and scripts/test-sdist.sh run it before building.
# scripts/release.sh runs it for healthcheckx-cli, next to the command's binary.
# The result is checked: every crate that `cargo tree` shows in the build must be named in it.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
ensure_cargo_about

crate=${1:-healthcheckx-py}
output=${2:-THIRD-PARTY-LICENSES.txt}
manifest=crates/$crate/Cargo.toml
[[ -f $manifest ]] || { echo "no crate $crate ($manifest)" >&2; exit 2; }

step "third-party licences of $crate -> $output"
# cargo-about reads every crate's licence files (about 3 minutes of CPU): the result is kept under
# $HCX_BUILD/licenses, keyed by the crates in the build (name, version, source, licence) and these
# settings, so that it is generated again only when one of them changes.
key=$( (cargo tree --locked --offline -p "$crate" -e normal,build --target all --prefix none \
    --format '{p} {l}' | sort -u && cat about.toml about.hbs "$0") | sha256sum | cut -c1-16)
cached=$HCX_BUILD/licenses/$crate-$key.txt
if [[ -f $cached ]]; then
    cp "$cached" "$output"
    echo "unchanged dependencies: $cached"
    exit 0
fi
tmp=$(mktemp)
trap 'rm -f "$tmp" "$tmp.want" "$tmp.have"' EXIT
# The sources of every crate, for every platform (the notices cover the platforms the sdist builds
# on): cargo-about reads their licence files and runs offline.
cargo fetch --locked --quiet
cargo about --color never generate --locked --offline --fail -c about.toml -m "$manifest" \
    -o "$tmp" about.hbs

# Every crate built into the artifact on this platform (normal and build dependencies, not the
# crate itself) must appear under some licence. `cargo tree` prints "name vX.Y.Z ...".
cargo tree --locked --offline -p "$crate" -e normal,build --target x86_64-unknown-linux-gnu \
    --prefix none --format '{p}' |
    awk '{ sub(/^v/, "", $2); print $1, $2 }' | grep -v "^$crate " | sort -u >"$tmp.want"
sed -n 's/^  \([A-Za-z0-9_-]*\) \([0-9][^ ]*\)\( <.*>\)\?$/\1 \2/p' "$tmp" | sort -u >"$tmp.have"
missing=$(comm -23 "$tmp.want" "$tmp.have")
if [[ -n $missing ]]; then
    echo "crates built into $crate but missing from the notices:" >&2
    echo "$missing" >&2
    exit 1
fi
mkdir -p "$(dirname "$cached")"
cp "$tmp" "$cached"
mv "$tmp" "$output"
echo "$(wc -l <"$tmp.want") crates, $(grep -c '^=\{80\}$' "$output") licences, $(du -h "$output" | cut -f1)"
