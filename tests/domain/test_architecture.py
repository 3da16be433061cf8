"""``ladder/`` and ``pipelines/`` are pure: no Flask, SQLAlchemy, WTForms or app imports."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FORBIDDEN = (
    "flask",
    "flask_sqlalchemy",
    "flask_wtf",
    "flask_login",
    "flask_migrate",
    "sqlalchemy",
    "wtforms",
    "alembic",
    "app",
)


def imported_modules(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
    return found


@pytest.mark.parametrize("package", ["ladder", "pipelines"])
def test_domain_package_is_pure(package):
    problems = []
    for path in sorted((ROOT / package).rglob("*.py")):
        for line, module in imported_modules(path):
            if module.split(".")[0] in FORBIDDEN:
                problems.append(f"{path.relative_to(ROOT)}:{line}: imports {module}")
    assert not problems, "\n".join(problems)


def test_the_check_catches_a_forbidden_import(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("import os\nfrom flask import Flask\nfrom app.models import User\n")
    assert [m for _, m in imported_modules(bad) if m.split(".")[0] in FORBIDDEN] == [
        "flask",
        "app.models",
    ]
