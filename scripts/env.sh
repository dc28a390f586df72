# Shared settings of the README commands (sourced, not run).
# Build products live outside the clone so that a fresh clone reuses them.
HCX_BUILD=${HCX_BUILD:-/var/tmp/healthcheckx-build}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HCX_BUILD/target}
export HCX_VENV=${HCX_VENV:-$HCX_BUILD/venv}
export HCX_STATE=${HCX_STATE:-/var/tmp/healthcheckx-test}
export CARGO_TERM_COLOR=${CARGO_TERM_COLOR:-never}

step() { printf '\n==> %s\n' "$*"; }

# ensure_venv [VENV [REQUIREMENTS]]: a virtualenv (default $HCX_VENV) with the packages of a
# requirements file (default requirements/test.txt, the test/demo tools), created once and
# updated when the file changes; then put first on PATH. $PYTHON creates it (python3).
ensure_venv() {
    local venv=${1:-$HCX_VENV} requirements=${2:-requirements/test.txt}
    local python=${PYTHON:-python3}
    if [[ ! -x $venv/bin/python ]]; then
        step "creating virtualenv $venv"
        mkdir -p "$(dirname "$venv")"
        "$python" -m venv "$venv"
    fi
    local stamp=$venv/.requirements-$(basename "$requirements" .txt).sha
    local want
    want=$(sha256sum "$requirements" | cut -d' ' -f1)
    if [[ ! -f $stamp || $(cat "$stamp") != "$want" ]]; then
        step "installing $requirements into $venv"
        "$venv/bin/pip" install --quiet --upgrade pip
        "$venv/bin/pip" install --quiet -r "$requirements"
        echo "$want" >"$stamp"
    fi
    export PATH=$venv/bin:$PATH VIRTUAL_ENV=$venv
}

# ensure_cargo_tool CRATE VERSION [FEATURES]: a cargo plugin from crates.io at an exact version
# (`cargo install --locked`), installed once under $HCX_BUILD/tools (outside the clone, kept across
# runs) and put first on PATH. A first install compiles it: cargo-deny about 5 minutes on 2 cores,
# cargo-about 3 more (the tools share their build directory), cargo-cyclonedx 2.
ensure_cargo_tool() {
    local crate=$1 version=$2 features=${3:-} root=$HCX_BUILD/tools
    export PATH=$root/bin:$PATH
    if ! grep -qs "^\"$crate $version (registry" "$root/.crates.toml"; then
        step "installing $crate $version into $root"
        cargo install --quiet --locked "$crate" --version "=$version" --root "$root" \
            --target-dir "$HCX_BUILD/tools-target" ${features:+--features "$features"}
    fi
}

# The supply-chain tools at the versions the project uses (deny.toml, about.toml follow their
# formats): cargo-deny and cargo-about for the test command, cargo-cyclonedx for releases.
ensure_cargo_deny() { ensure_cargo_tool cargo-deny 0.20.2; }
ensure_cargo_about() { ensure_cargo_tool cargo-about 0.9.3 cli; }
ensure_cargo_cyclonedx() { ensure_cargo_tool cargo-cyclonedx 0.5.9; }

# build_extension [--release]: compiles the engine into the virtualenv (editable install).
build_extension() {
    step "building the native extension ($*)"
    maturin develop --quiet "$@"
}
