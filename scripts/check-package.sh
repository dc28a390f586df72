#!/usr/bin/env bash
# The crates as crates.io would get them, for every workspace crate that is published (not
# `publish = false`: healthcheckx-py is published as the Python package, see its Cargo.toml).
#
#   bash scripts/check-package.sh           `cargo package --no-verify`: the manifests' metadata,
#                                           include lists, README and LICENSE in each .crate, the
#                                           engine README's example identical to
#                                           examples/quickstart.rs (which `cargo test` builds),
#                                           one LICENSE text everywhere. Seconds; the test command's.
#   bash scripts/check-package.sh --verify  `cargo publish --dry-run` as well: builds each packaged
#                                           crate alone, as a dependent would, with the crates.io
#                                           releases of its dependencies (no [patch]: see
#                                           vendor/README.md). Minutes, on a clean tree (it
#                                           refuses uncommitted changes); scripts/release.sh runs it.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
verify=0
[[ ${1:-} == --verify ]] && verify=1

step "crates: metadata, contents, licence"
for copy in crates/*/LICENSE; do
    cmp -s LICENSE "$copy" || { echo "$copy differs from LICENSE" >&2; exit 1; }
done
for manifest in crates/*/Cargo.toml; do
    [[ -f ${manifest%Cargo.toml}LICENSE ]] || { echo "${manifest%/Cargo.toml} has no LICENSE" >&2; exit 1; }
done

# The README's example is the example program, so that what readers copy compiles and runs.
readme_example=$(sed -n '/^```rust/,/^```$/{/^```/d;p}' crates/healthcheckx/README.md)
example=$(grep -v '^//!' crates/healthcheckx/examples/quickstart.rs)
if [[ $readme_example != "$example" ]]; then
    diff <(echo "$readme_example") <(echo "$example") >&2 || true
    echo "crates/healthcheckx/README.md's example differs from examples/quickstart.rs" >&2
    exit 1
fi

published_crates() {
    cargo metadata --locked --offline --no-deps --format-version 1 | python3 -c '
import json, sys
for package in json.load(sys.stdin)["packages"]:
    if package["publish"] != []:
        fields = ("description", "license", "repository", "readme")
        missing = [field for field in fields if not package.get(field)]
        if missing:
            sys.exit("%s: no %s in its Cargo.toml" % (package["name"], ", ".join(missing)))
        print(package["name"])
'
}
list=$(published_crates)
mapfile -t published <<<"$list"
((${#published[@]})) || { echo "no publishable crate" >&2; exit 1; }
args=()
for name in "${published[@]}"; do args+=(-p "$name"); done

cargo package --locked --no-verify --allow-dirty --quiet "${args[@]}"
for name in "${published[@]}"; do
    crate_file=$CARGO_TARGET_DIR/package/$name-$(cargo pkgid --offline -p "$name" | sed 's/.*[#@]//').crate
    listing=$(tar tzf "$crate_file")
    for file in Cargo.toml README.md LICENSE src/; do
        grep -q "^[^/]*/$file" <<<"$listing" || { echo "$crate_file lacks $file" >&2; exit 1; }
    done
    echo "$(basename "$crate_file"): $(wc -l <<<"$listing") files, $(du -h "$crate_file" | cut -f1)"
done

if ((verify)); then
    step "cargo publish --dry-run ${published[*]}"
    cargo publish --locked --dry-run "${args[@]}"
fi
