"""The house rules, read from the source with ``ast`` (nothing is imported or run):

* ``ladder/`` and ``pipelines/`` are pure: no Flask, SQLAlchemy, WTForms or ``app``;
  ``ladder/`` does not know ``pipelines/`` either.
* Models know the database and the domain only: no service, no web module.
* Only ``app/services/`` commits.
* No two modules of ``app/``, ``ladder/`` or ``pipelines/`` import each other, directly
  or through others (imports inside functions count too).

Each rule is a function over a tree, so the tests below also show that it catches what it
is meant to catch.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("app", "ladder", "pipelines")

WEB_AND_DATABASE = (
    "flask",
    "flask_sqlalchemy",
    "flask_wtf",
    "flask_login",
    "flask_migrate",
    "sqlalchemy",
    "wtforms",
    "werkzeug",
    "alembic",
    "app",
)
#: What a model may import from the application: the database handle, its column types,
#: the clock and other models. Everything else of ``app`` is a service or a web module.
MODEL_MAY_IMPORT = ("app.db", "app.clock", "app.models")
#: Libraries a model may not import (the web, forms): it would lean on a request.
WEB_LIBRARIES = ("flask", "flask_login", "flask_wtf", "wtforms", "werkzeug")


@dataclass(frozen=True)
class Import:
    module: str  # the importing module, e.g. "app.hiring.queries"
    target: str  # the module imported, resolved, e.g. "app.db"
    line: int

    def where(self, root: Path) -> str:
        return f"{module_path(root, self.module).relative_to(root)}:{self.line}"


def module_name(root: Path, path: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def module_path(root: Path, name: str) -> Path:
    base = root.joinpath(*name.split("."))
    return base / "__init__.py" if base.is_dir() else base.with_suffix(".py")


def python_files(root: Path, package: str) -> list[Path]:
    return sorted((root / package).rglob("*.py"))


def imports(root: Path, path: Path) -> Iterator[Import]:
    """Every import of a file, at any depth, resolved to the module it names.

    ``from package import name`` names the module ``package.name`` when that is a module
    of the tree, else ``package`` itself.
    """
    me = module_name(root, path)
    package = me if path.name == "__init__.py" else me.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Import(me, alias.name, node.lineno)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                parts = parts[: len(parts) - (node.level - 1)]
                base = ".".join([*parts, base] if base else parts)
            for alias in node.names:
                candidate = f"{base}.{alias.name}"
                exists = module_path(root, candidate).exists()
                yield Import(me, candidate if exists else base, node.lineno)


def within(target: str, prefixes: tuple[str, ...]) -> bool:
    return any(target == p or target.startswith(p + ".") for p in prefixes)


# --- the rules ----------------------------------------------------------------------


def impure_imports(root: Path, package: str, forbidden: tuple[str, ...]) -> list[str]:
    return [
        f"{imp.where(root)}: {package}/ imports {imp.target}"
        for path in python_files(root, package)
        for imp in imports(root, path)
        if within(imp.target, forbidden)
    ]


def model_imports(root: Path) -> list[str]:
    out = []
    for path in python_files(root, "app/models") if (root / "app/models").exists() else []:
        for imp in imports(root, path):
            leans_on_app = within(imp.target, ("app",)) and not within(imp.target, MODEL_MAY_IMPORT)
            if leans_on_app or within(imp.target, WEB_LIBRARIES):
                out.append(f"{imp.where(root)}: a model imports {imp.target}")
    return out


def commits_outside_services(root: Path) -> list[str]:
    out = []
    for path in python_files(root, "app"):
        if path.is_relative_to(root / "app" / "services"):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "commit"
            ):
                out.append(f"{path.relative_to(root)}:{node.lineno}: commits")
    return out


def import_circles(root: Path, packages: tuple[str, ...]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan's algorithm)."""
    graph: dict[str, set[str]] = {}
    for package in packages:
        for path in python_files(root, package):
            graph[module_name(root, path)] = set()
    for package in packages:
        for path in python_files(root, package):
            me = module_name(root, path)
            graph[me] |= {i.target for i in imports(root, path) if i.target in graph} - {me}

    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    circles: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in sorted(graph[node]):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                circles.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(circles)


# --- the house follows them ---------------------------------------------------------


@pytest.mark.parametrize("package", ["ladder", "pipelines"])
def test_domain_packages_import_neither_the_web_nor_the_database_nor_app(package):
    assert impure_imports(ROOT, package, WEB_AND_DATABASE) == []


def test_the_ladder_does_not_know_the_pipelines():
    assert impure_imports(ROOT, "ladder", ("pipelines",)) == []


def test_models_import_only_the_database_the_clock_other_models_and_the_domain():
    assert model_imports(ROOT) == []


def test_only_services_commit():
    assert commits_outside_services(ROOT) == []


def test_no_module_imports_itself_through_others():
    assert import_circles(ROOT, PACKAGES) == []


# --- and each rule catches what it is for ---------------------------------------------


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def test_an_impure_domain_import_is_caught_with_its_line(tmp_path):
    root = write(
        tmp_path,
        {
            "ladder/__init__.py": "",
            "ladder/ok.py": "import os\nfrom ladder import model\n",
            "ladder/bad.py": "import os\n\ndef f():\n    from flask import g\n    import app.db\n",
            "ladder/worse.py": "from pipelines.plan import PipelinePlan\n",
        },
    )
    assert impure_imports(root, "ladder", WEB_AND_DATABASE) == [
        "ladder/bad.py:4: ladder/ imports flask",
        "ladder/bad.py:5: ladder/ imports app.db",
    ]
    assert impure_imports(root, "ladder", ("pipelines",)) == [
        "ladder/worse.py:1: ladder/ imports pipelines.plan"
    ]


def test_a_model_that_leans_on_a_service_or_the_web_is_caught(tmp_path):
    root = write(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/db.py": "",
            "app/services/__init__.py": "",
            "app/services/audit.py": "",
            "app/models/__init__.py": "from app.models.user import User\n",
            "app/models/user.py": (
                "from sqlalchemy import String\nfrom app.db import db\n"
                "from pipelines.plan import StageKind\n"
            ),
            "app/models/bad.py": (
                "from flask_login import UserMixin\nfrom app.services import audit\n"
                "from app.extensions import login_manager\n"
            ),
        },
    )
    assert model_imports(root) == [
        "app/models/bad.py:1: a model imports flask_login",
        "app/models/bad.py:2: a model imports app.services.audit",
        "app/models/bad.py:3: a model imports app.extensions",
    ]


def test_a_commit_outside_the_services_is_caught(tmp_path):
    root = write(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/services/hiring.py": "db.session.commit()\n",
            "app/hiring/pages.py": (
                "def view():\n    db.session.rollback()\n    db.session.commit()\n"
            ),
        },
    )
    assert commits_outside_services(root) == ["app/hiring/pages.py:3: commits"]


def test_a_circle_is_caught_through_relative_and_late_imports(tmp_path):
    root = write(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/a.py": "from app import b\n",
            "app/b.py": "def later():\n    from .c import thing\n",
            "app/c.py": "import app.a\n",
            "app/d.py": "from app.a import name\n",
            "app/pkg/__init__.py": "from app.pkg import views\n",
            "app/pkg/views.py": "from app.pkg import helper\n",
            "app/pkg/helper.py": "VALUE = 1\n",
            # A blueprint in a package's __init__ whose views the package imports back.
            "app/web/__init__.py": "bp = object()\nfrom app.web import views\n",
            "app/web/views.py": "from app.web import bp\n",
        },
    )
    assert import_circles(root, ("app",)) == [
        ["app.a", "app.b", "app.c"],
        ["app.web", "app.web.views"],
    ]
