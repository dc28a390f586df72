"""healthcheckx 1.2.0's own documentation, as data for the compatibility tests.

Copied unchanged from the 1.2.0 sdist on PyPI (healthcheckx-1.2.0.tar.gz, MIT licence, see
healthcheckx-1.2.0-LICENSE):

* ``healthcheckx-1.2.0-README.md``: its README.md (also the long description in the wheel's
  METADATA), whose ``python`` blocks the tests run as written;
* ``healthcheckx-1.2.0-core.py.txt``: its ``src/healthcheckx/core.py``, whose docstrings hold the
  examples of every ``Health`` method (the ``>>>`` lines).

``run_code`` runs code in a fresh interpreter where some web frameworks cannot be imported, as
when they are not installed, and returns what it printed after ``RESULT``, decoded from JSON.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Dict, Iterable, List, Mapping, Optional

from appservers import without_frameworks

HERE = Path(__file__).resolve().parent
README = HERE / "healthcheckx-1.2.0-README.md"
CORE = HERE / "healthcheckx-1.2.0-core.py.txt"
FRAMEWORKS = ("django", "fastapi", "flask")
# What a 1.2 block may take from the blocks before it in the README: the names of the package.
PRELUDE = "from healthcheckx import *\nhealth = Health()\n"
# Configures Django around the `urlpatterns` the code defined before it (if any).
DJANGO_SETUP = """
import types, django
from django.conf import settings
urls = types.ModuleType("urls")
urls.urlpatterns = globals().get("urlpatterns", [])
settings.configure(ROOT_URLCONF=urls, ALLOWED_HOSTS=["*"], SECRET_KEY="compat")
django.setup()
"""


def readme_blocks() -> Dict[str, str]:
    """The README's ``python`` blocks by the heading above them (one block per heading)."""
    blocks: Dict[str, str] = {}
    heading: str = ""
    fence: Optional[str] = None
    lines: List[str] = []
    for line in README.read_text().splitlines(keepends=True):
        if fence is None:
            if line.startswith("```"):
                fence, lines = line[3:].strip(), []
            elif line.startswith("#"):
                heading = line.lstrip("#").strip()
        elif line.startswith("```"):
            if fence == "python":
                assert heading not in blocks, f"two python blocks under {heading!r}"
                blocks[heading] = "".join(lines)
            fence = None
        else:
            lines.append(line)
    return blocks


def docstring_examples() -> Dict[str, List[str]]:
    """The ``>>>`` statements of 1.2.0's core.py, by the method whose docstring holds them."""
    examples: Dict[str, List[str]] = {}
    method = "Health"
    for line in CORE.read_text().splitlines():
        found = re.match(r"\s*def (\w+)\(", line)
        if found:
            method = found.group(1)
        example = re.match(r"\s*(>>>|\.\.\.) ?(.*)$", line)
        if example is None:
            continue
        # The class docstring escapes its line continuations (`\\`), the methods' do not.
        text = example.group(2).replace("\\\\", "\\")
        if example.group(1) == ">>>":
            examples.setdefault(method, []).append(text)
        else:
            examples[method][-1] += "\n" + text
    return examples


def run_code(
    code: str, *, hidden: Iterable[str] = FRAMEWORKS, env: Optional[Mapping[str, str]] = None
) -> Any:
    """Runs `code` where importing any of `hidden` raises ImportError, every warning shown;
    returns the JSON it printed after ``RESULT`` (the last such line), failing with its stderr
    if it raised."""
    completed = without_frameworks(
        hidden, "import json, warnings\nwarnings.simplefilter('always')\n" + code, env
    )
    assert completed.returncode == 0, completed.stderr
    lines = [line for line in completed.stdout.splitlines() if line.startswith("RESULT ")]
    assert lines, f"no RESULT line in:\n{completed.stdout}\n{completed.stderr}"
    return json.loads(lines[-1][len("RESULT ") :])


def result(expression: str) -> str:
    """The line a test appends to a block to print `expression` for `run_code`."""
    return f"\nprint('RESULT ' + json.dumps({expression}))\n"
