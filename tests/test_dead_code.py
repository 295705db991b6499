"""No dead code: every function and method defined in src/dateline is named somewhere else
in the project (src, tests, bench, tools). Framework hooks and functions registered by a
decorator (typer commands, HTTP routes) are called by name from outside; methods reached
through ``getattr`` are listed below."""

from __future__ import annotations

import ast
import re
from collections import Counter
from pathlib import Path

from dateline.coding.dates import _PATTERNS as _DATE_RULES

ROOT = Path(__file__).resolve().parents[1]
# called by a framework, not by our code
HOOKS = {"teardown", "setup"}
# DateResolver's rules, run by name: getattr(self, "_" + rule name) (coding/dates.py)
BY_NAME = {"_" + name for name, _ in _DATE_RULES} | {
    # urllib3/httpcore call it on the watcher's guarded network backend
    "connect_unix_socket"}


def _defined() -> list[tuple[str, int, str]]:
    out = []
    for path in sorted((ROOT / "src" / "dateline").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            members = [node, *node.body] if isinstance(node, ast.ClassDef) else [node]
            for fn in members:
                if isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef) \
                        and not fn.decorator_list and not fn.name.startswith("__"):
                    out.append((str(path.relative_to(ROOT)), fn.lineno, fn.name))
    return out


def test_every_function_is_used():
    words: Counter[str] = Counter()
    for folder in ("src", "tests", "bench", "tools"):
        for path in (ROOT / folder).rglob("*.py"):
            if path.name != "test_dead_code.py":
                words.update(re.findall(r"\b[A-Za-z_]\w*\b", path.read_text(encoding="utf-8")))
    unused = [f"{path}:{line} {name}" for path, line, name in _defined()
              if words[name] < 2 and name not in HOOKS | BY_NAME]
    assert unused == []
