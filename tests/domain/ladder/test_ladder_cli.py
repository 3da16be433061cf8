"""``python -m ladder``: output, ``--json`` shapes and exit statuses."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import types
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml

from ladder.cli import EXIT_INVALID, EXIT_OK, EXIT_USAGE, main
from ladder.loader import DATA_DIR
from ladder.model import Ladder
from tests.domain.ladder.conftest import WriteLadder
from tests.domain.ladder.ladder_testing import base_family

ROOT = Path(__file__).resolve().parents[3]


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = main(list(argv), out, err)
    return status, out.getvalue(), err.getvalue()


def run_json(*argv: str) -> Any:
    status, out, err = run(*argv, "--json")
    assert status == EXIT_OK, err
    return json.loads(out)


# -- done-when checks ---------------------------------------------------------------------------


def test_validate_passes_and_lists_the_corrections_as_notes() -> None:
    status, out, _ = run("validate")
    assert status == EXIT_OK
    lines = out.splitlines()
    assert lines[-1].startswith("ok: 3 families, 21 levels, 7 specialties; 0 errors, ")
    notes = [line for line in lines if ": note: " in line]
    assert len(notes) >= 20
    grade_note = next(line for line in notes if "senior-director-csm" in line)
    assert grade_note.startswith("ladder/data/customer-success-management.yaml:")
    assert "The Director of CSM is a job grade level 11" in grade_note


def test_show_staff_csm() -> None:
    status, out, _ = run("show", "staff-csm")
    assert status == EXIT_OK
    assert "  - Provide immediate onboarding activities  [associate-csm]" in out.splitlines()
    assert "  - 3.75m ARR book of business maintained  [staff-csm]" in out.splitlines()
    assert out.startswith("Staff CSM (staff-csm)\n")


def test_diff_csm_senior_csm_lists_exactly_senior_csms_additions(shipped_ladder: Ladder) -> None:
    status, out, _ = run("diff", "csm", "senior-csm")
    assert status == EXIT_OK
    changed = [line for line in out.splitlines() if line.startswith(("  +", "  -"))]
    senior = shipped_ladder.level("senior-csm")
    own = [*senior.responsibilities, *senior.requirements, *senior.performance_indicators]
    assert changed == [f"  + {item.text}  [senior-csm]" for item in own]
    assert "Responsibilities: 7 added, 17 kept, 0 dropped" in out


@pytest.fixture(scope="module")
def shipped_ladder() -> Ladder:
    from ladder.loader import load_ladder

    return load_ladder().ladder


# -- JSON shapes --------------------------------------------------------------------------------


def test_show_json_shape() -> None:
    data = run_json("show", "staff-csm")
    assert {"id", "title", "grade", "family", "reports_to"} <= set(data)
    assert (data["id"], data["grade"], data["family"]) == (
        "staff-csm",
        9,
        "customer-success-management",
    )
    assert data["reports_to"] == {
        "levels": ["manager-csm", "senior-manager-csm"],
        "text": "Manager/Senior Manager, CSM",
    }
    for kind in ("responsibilities", "requirements", "performance_indicators"):
        assert data[kind], kind
        assert all({"text", "from"} <= set(item) for item in data[kind])
    sources = {item["text"]: item["from"] for item in data["responsibilities"]}
    assert sources["Provide immediate onboarding activities"] == "associate-csm"
    assert data["responsibilities"][0]["from"] == "customer-success-management"
    assert data["responsibilities"][0]["from_kind"] == "family"
    assert {"text": "3.75m ARR book of business maintained", "from": "staff-csm"}.items() <= (
        data["performance_indicators"][2].items()
    )


def test_show_json_with_a_specialty() -> None:
    data = run_json("show", "senior-csm", "--specialty", "public-sector")
    assert data["specialty"] == "public-sector"
    assert data["requirements"][-1]["from"] == "public-sector"
    assert data["requirements"][-1]["from_kind"] == "specialty"


def test_diff_json_shape() -> None:
    data = run_json("diff", "csm", "senior-csm")
    assert (data["from"], data["to"]) == ("csm", "senior-csm")
    assert len(data["responsibilities"]["added"]) == 7
    assert len(data["responsibilities"]["kept"]) == 17
    assert data["responsibilities"]["dropped"] == []
    assert data["requirements"]["added"][0]["from"] == "senior-csm"


def test_diff_kept_listing() -> None:
    _, out, _ = run("diff", "csm", "senior-csm", "--kept")
    assert "  = Provide immediate onboarding activities  [associate-csm]" in out.splitlines()


def test_path_json_shape() -> None:
    data = run_json("path", "associate-csm")
    assert data["next"][0]["id"] == "csm"
    assert data["reports_to_chain"] == [
        ["manager-csm", "senior-manager-csm"],
        ["director-csm"],
        ["vp-cs"],
    ]
    assert data["moves"] == [
        {
            "text": "a senior leadership job family",
            "family": "customer-success-leadership",
            "level": None,
        }
    ]


def test_path_text() -> None:
    status, out, _ = run("path", "senior-manager-csm")
    assert status == EXIT_OK
    assert "next: Director of Customer Success (director-cs)" in out
    assert "reports-to chain: director-csm → vp-cs" in out


def test_list_json_and_text() -> None:
    data = run_json("list")
    families = {f["id"]: f for f in data["families"]}
    assert [lv["id"] for lv in families["customer-success-leadership"]["levels"]] == [
        "director-cs",
        "senior-director-cs",
        "vp-cs",
    ]
    status, out, _ = run("list")
    assert status == EXIT_OK
    assert "  staff-cse             9  IC   Staff Customer Success Engineer" in out.splitlines()


def test_validate_json_shape() -> None:
    data = run_json("validate")
    assert data["ok"] is True
    assert data["errors"] == 0
    assert data["notes"] == len(data["problems"])
    assert {"file", "line", "severity", "message"} == set(data["problems"][0])


# -- exit statuses ------------------------------------------------------------------------------


def test_validate_reports_errors_with_exit_1(write_ladder: WriteLadder) -> None:
    folder = write_ladder(texts={"alpha.yaml": "id: alpha\ntitle: [\n"})
    status, out, _ = run("validate", str(folder))
    assert status == EXIT_INVALID
    assert "alpha.yaml:3: malformed YAML" in out
    assert out.splitlines()[-1].startswith("invalid: ")
    status, out, _ = run("validate", str(folder), "--json")
    assert status == EXIT_INVALID
    assert json.loads(out)["ok"] is False


def test_commands_refuse_invalid_data(write_ladder: WriteLadder) -> None:
    folder = write_ladder(texts={"alpha.yaml": "id: alpha\n"})
    status, _, err = run("show", "csm", "--data", str(folder))
    assert status == EXIT_INVALID
    assert "missing required key 'title'" in err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["show", "senoir-csm"], "unknown level 'senoir-csm' (did you mean 'senior-csm'?)"),
        (["show", "vp-cs", "--specialty", "growth"], "has no specialty 'growth'"),
        (["diff", "csm", "nobody"], "unknown level 'nobody'"),
        (["path", "nobody"], "unknown level 'nobody'"),
        (["export", "customer-success"], "unknown family 'customer-success'"),
        (["import", "/nonexistent/page.md"], "no such file or folder"),
        (["validate", "/nonexistent"], "not a directory"),
    ],
)
def test_usage_errors_exit_2(argv: list[str], message: str) -> None:
    status, _, err = run(*argv)
    assert status == EXIT_USAGE
    assert message in err


@pytest.mark.parametrize("argv", [[], ["frobnicate"], ["show"], ["show", "csm", "--bogus"]])
def test_argument_errors_exit_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == EXIT_USAGE
    assert "usage:" in capsys.readouterr().err


def test_help_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == EXIT_OK
    assert "validate" in capsys.readouterr().out


def test_python_dash_m_ladder() -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "ladder", "show", "staff-csm", "--json"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert json.loads(completed.stdout)["id"] == "staff-csm"


# -- import / export wiring ---------------------------------------------------------------------


@dataclass
class FakeWarning:
    file: str
    line: int | None
    message: str


@dataclass
class FakeImport:
    data: dict[str, Any]
    warnings: list[FakeWarning] = field(default_factory=list)


@pytest.fixture
def fake_handbook(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """A stand-in ``ladder.handbook`` recording its calls."""
    calls: list[Any] = []
    module = types.ModuleType("ladder.handbook")

    def import_path(path: Path, context: Any = None) -> FakeImport:
        calls.append(path)
        text = (DATA_DIR / "customer-success-leadership.yaml").read_text(encoding="utf-8")
        return FakeImport(yaml.safe_load(text), [FakeWarning(str(path), 7, "odd heading")])

    def export_family(ladder: Ladder, family_id: str) -> str:
        calls.append((ladder.version, family_id))
        return f"# {ladder.family(family_id).title}\n"

    module.import_path = import_path  # type: ignore[attr-defined]
    module.export_family = export_family  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "ladder.handbook", module)
    return calls


def test_import_json_is_the_family_data_plus_warnings(
    fake_handbook: list[Any], tmp_path: Path
) -> None:
    page = tmp_path / "page.md"
    page.write_text("# page\n", encoding="utf-8")
    status, out, _ = run("import", str(page), "--json")
    assert status == EXIT_OK
    data = json.loads(out)
    assert data["family"]["id"] == "customer-success-leadership"
    assert data["warnings"] == [{"file": str(page), "line": 7, "message": "odd heading"}]
    assert data["problems"] == []
    assert fake_handbook == [page]


def test_import_text_prints_canonical_yaml_and_warnings(
    fake_handbook: list[Any], tmp_path: Path
) -> None:
    page = tmp_path / "page.md"
    page.write_text("# page\n", encoding="utf-8")
    status, out, err = run("import", str(page))
    assert status == EXIT_OK
    assert out == (DATA_DIR / "customer-success-leadership.yaml").read_text(encoding="utf-8")
    assert err == f"{page}:7: warning: odd heading\n"
    target = tmp_path / "out.yaml"
    status, out, _ = run("import", str(page), "-o", str(target))
    assert (status, out) == (EXIT_OK, "")
    assert target.read_text(encoding="utf-8") == (
        DATA_DIR / "customer-success-leadership.yaml"
    ).read_text(encoding="utf-8")


def test_import_strict_fails_on_invalid_results(
    fake_handbook: list[Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    module = sys.modules["ladder.handbook"]

    def broken(path: Path, context: Any = None) -> FakeImport:
        return FakeImport({"id": "new-family", "title": "New", "levels": []})

    monkeypatch.setattr(module, "import_path", broken)
    status, out, _ = run("import", str(tmp_path), "--json")
    assert status == EXIT_OK
    problems = json.loads(out)["problems"]
    assert [p["message"] for p in problems] == [
        "family 'new-family': 'levels' must not be an empty list (omit the key instead)"
    ]
    status, _, err = run("import", str(tmp_path), "--strict")
    assert status == EXIT_INVALID
    assert "new-family.yaml: family 'new-family': 'levels' must not be an empty list" in err


def test_export(fake_handbook: list[Any], shipped_ladder: Ladder) -> None:
    status, out, _ = run("export", "customer-success-architect")
    assert (status, out) == (EXIT_OK, "# Customer Success Architect\n")
    data = run_json("export", "customer-success-leadership")
    assert data == {
        "family": "customer-success-leadership",
        "markdown": "# Customer Success Leadership\n",
    }
    assert fake_handbook[0] == (shipped_ladder.version, "customer-success-architect")


def test_import_without_the_handbook_module(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setitem(sys.modules, "ladder.handbook", types.ModuleType("ladder.handbook"))
    status, _, err = run("import", str(tmp_path))
    assert status == EXIT_INVALID
    assert "no ladder.handbook.import_path" in err


SEED_001 = Path(__file__).resolve().parents[2] / "fixtures" / "seeds"


def test_import_resolves_other_families_through_the_loaded_ladder() -> None:
    page = str(next(SEED_001.glob("001_*.txt")))
    with_context = run_json("import", page)
    alone = run_json("import", "--standalone", page)
    in_context = {w["line"] for w in with_context["warnings"]}
    standalone = {w["line"] for w in alone["warnings"]}
    # "Extends the Senior Manager, CSM responsibilities" (line 26) names a level of
    # another family: only the loaded ladder can resolve it without a warning.
    assert 26 not in in_context
    assert 26 in standalone
    director = next(lv for lv in with_context["family"]["levels"] if lv["id"] == "director-cs")
    assert director["extends"]["responsibilities"] == ["senior-manager-csm"]


def test_show_prints_the_other_lists_of_a_level(write_ladder: WriteLadder) -> None:
    family = base_family()
    family["levels"][1]["other_lists"] = [
        {"title": "Projects you might work on", "items": ["Docs", {"text": "A", "items": ["b"]}]}
    ]
    folder = write_ladder(family)
    status, out, _ = run("show", "alpha-mid", "--data", str(folder))
    assert status == EXIT_OK
    assert "\nProjects you might work on\n  - Docs\n  - A\n      · b\n" in out
    data = run_json("show", "alpha-mid", "--data", str(folder))
    assert data["other_lists"] == [
        {
            "title": "Projects you might work on",
            "items": [{"text": "Docs", "items": []}, {"text": "A", "items": ["b"]}],
        }
    ]
    assert run_json("show", "alpha-junior", "--data", str(folder))["other_lists"] == []
