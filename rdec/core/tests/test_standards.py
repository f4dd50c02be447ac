"""Coding standards with security impact, checked on the source (after ckan's test_coding_standards)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import rdec

PACKAGE = Path(rdec.__file__).parent

# Public service functions that may run without a permission check, and why.
ALLOWED_WITHOUT_REQUIRE: dict[str, str] = {
    # part of every filing (rdec.petitions.hooks: web form, API, Open311, queued intake, 1999 console),
    # after the filing's own permission check: it only records an internal note that the router was
    # unsure (the case then waits in the 分案 queue)
    "analytics.flag_unsure_routing": "runs inside every filing, already permission-checked",
}


def service_functions():
    for path in sorted(PACKAGE.glob("*/services.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and not node.name.startswith("_"):
                yield path, node


def test_every_public_service_checks_permission_with_require():
    missing = []
    for path, node in service_functions():
        calls = {
            n.func.id for n in ast.walk(node) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)
        }
        name = f"{path.parent.name}.{node.name}"
        if "require" not in calls and name not in ALLOWED_WITHOUT_REQUIRE:
            missing.append(name)
    assert missing == []


def test_every_public_service_takes_a_keyword_only_actor():
    missing = [
        f"{path.parent.name}.{node.name}"
        for path, node in service_functions()
        if "actor" not in [a.arg for a in node.args.kwonlyargs]
    ]
    assert missing == []


# Reading a variable (os.getenv, os.environ.get, os.environ[...]) is settings.py's job; handing the
# whole environment on to a child process ({**os.environ}, as the backup does for pg_dump) is not a read.
ENVIRONMENT_READ = re.compile(r"os\.getenv\b|os\.environ\s*(?:\.\s*(?:get|setdefault|pop)\b|\[)")


def test_app_code_reads_settings_not_the_environment():
    offenders = [
        str(p.relative_to(PACKAGE))
        for p in PACKAGE.rglob("*.py")
        if p.name not in {"settings.py", "cli.py", "celery.py", "wsgi.py", "asgi.py"}
        and "/tests/" not in str(p)
        and ENVIRONMENT_READ.search(p.read_text(encoding="utf-8"))
    ]
    assert offenders == []
