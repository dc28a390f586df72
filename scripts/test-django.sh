#!/usr/bin/env bash
# The Django tests (tests/django, tests/test_guide.py, tests/test_guide_project.py) once more
# under Django 4.2 LTS, the main virtualenv having Django 5.x. The second virtualenv is created
# once (again when requirements/django42.txt changes), preferably with another Python than the
# main one (3.12, whose coroutine markers differ), and imports healthcheckx from this clone's
# python/ directory, where the test command has just built the extension. Expects the servers of
# services.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

venv=${HCX_DJANGO42_VENV:-$HCX_BUILD/venv-django42}
python=${HCX_DJANGO42_PYTHON:-}
if [[ -z $python ]]; then
    for candidate in /root/.pyenv/versions/3.12*/bin/python3.12 python3.12 python3; do
        if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c 'import venv' 2>/dev/null; then
            python=$candidate
            break
        fi
    done
fi

PYTHON=$python ensure_venv "$venv" requirements/django42.txt
site=$(python -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
echo "$PWD/python" >"$site/healthcheckx-clone.pth"

step "Python: Django tests under Django $(python -m django --version), $(python --version)"
python -c 'import django, sys; sys.exit(django.VERSION[:2] != (4, 2))'
python -m pytest -p no:cacheprovider tests/django tests/test_guide.py tests/test_guide_project.py "$@"
