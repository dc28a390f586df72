# Shared settings of the README commands (sourced, not run).
# Build products live outside the clone so that a fresh clone reuses them.
HCX_BUILD=${HCX_BUILD:-/var/tmp/healthcheckx-build}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HCX_BUILD/target}
export HCX_VENV=${HCX_VENV:-$HCX_BUILD/venv}
export HCX_STATE=${HCX_STATE:-/var/tmp/healthcheckx-test}
export CARGO_TERM_COLOR=${CARGO_TERM_COLOR:-never}

step() { printf '\n==> %s\n' "$*"; }

# ensure_venv: the project virtualenv with the test/demo tools, created once.
ensure_venv() {
    local python=${PYTHON:-python3}
    if [[ ! -x $HCX_VENV/bin/python ]]; then
        step "creating virtualenv $HCX_VENV"
        mkdir -p "$(dirname "$HCX_VENV")"
        "$python" -m venv "$HCX_VENV"
    fi
    local stamp=$HCX_VENV/.requirements-test.sha
    local want
    want=$(sha256sum requirements/test.txt | cut -d' ' -f1)
    if [[ ! -f $stamp || $(cat "$stamp") != "$want" ]]; then
        step "installing test tools into $HCX_VENV"
        "$HCX_VENV/bin/pip" install --quiet --upgrade pip
        "$HCX_VENV/bin/pip" install --quiet -r requirements/test.txt
        echo "$want" >"$stamp"
    fi
    export PATH=$HCX_VENV/bin:$PATH VIRTUAL_ENV=$HCX_VENV
}

# build_extension [--release]: compiles the engine into the virtualenv (editable install).
build_extension() {
    step "building the native extension ($*)"
    maturin develop --quiet "$@"
}
