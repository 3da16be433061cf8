"""`flask ladder …` runs the same commands as `python -m ladder …`."""

import json


def test_flask_ladder_show_json(runner):
    result = runner.invoke(args=["ladder", "show", "staff-csm", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["id"] == "staff-csm"
    origins = {i["text"]: i["from"] for i in data["responsibilities"]}
    assert origins["Provide immediate onboarding activities"] == "associate-csm"


def test_flask_ladder_passes_exit_codes_through(runner):
    assert runner.invoke(args=["ladder", "show", "no-such-level"]).exit_code == 2
    assert runner.invoke(args=["ladder", "validate"]).exit_code == 0
    assert runner.invoke(args=["ladder", "--help"]).exit_code == 0


def test_flask_ladder_pdf_writes_the_zip(runner, tmp_path):
    import zipfile

    out = tmp_path / "staff.zip"
    result = runner.invoke(args=["ladder", "pdf", "--level", "staff-csm", str(out)])
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(out) as archive:
        names = archive.namelist()
    assert any(name.startswith("staff-csm") for name in names)
    assert all(name.endswith(".pdf") for name in names)


def test_flask_ladder_help_lists_pdf(runner):
    """The README documents `flask ladder pdf`: the help lists it with the pure commands,
    under the name it is run by."""
    for flag in ("--help", "-h"):
        result = runner.invoke(args=["ladder", flag])
        assert result.exit_code == 0, result.output
        assert "usage: flask ladder" in result.output
        commands = [line.split()[0] for line in result.output.splitlines() if line[:4] == "    "]
        assert commands == [
            "validate", "list", "show", "diff", "path", "import", "export", "pdf"
        ]  # fmt: skip
        assert "flask ladder pdf --help" in result.output


def test_flask_ladder_pdf_help(runner):
    result = runner.invoke(args=["ladder", "pdf", "--help"])
    assert result.exit_code == 0, result.output
    assert "--level" in result.output and "OUT" in result.output
