"""Reading a job-family page by its structure: the cases that broke the importer on pages
of other departments (a stray heading between levels, unfamiliar sub-headings, a
single-level page, hiring steps under another heading, loose references), each on a small
page written for the test."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ladder.cli import main
from ladder.handbook import export_mapping, import_path, import_text
from ladder.handbook.context import Context


def levels_of(data):
    return {lv["title"]: lv for lv in data["levels"]}


def test_a_stray_heading_between_levels_does_not_end_the_levels():
    page = (
        "---\ntitle: Writer\n---\n\n## Levels\n\n"
        "### Writer\n\nThe Writer is a grade 6.\n\n#### Responsibilities\n\n- Write\n\n"
        "## A word about writing\n\nWe like words.\n\n"
        "### Senior Writer\n\nThe Senior Writer is a grade 7.\n\n"
        "#### Responsibilities\n\n- Write more\n\n#### Requirements\n\n- Words\n"
    )
    result = import_text(page, "w.md")
    levels = levels_of(result.data)
    assert [lv["title"] for lv in result.data["levels"]] == ["Writer", "Senior Writer"]
    assert levels["Senior Writer"]["grade"] == 7
    assert levels["Senior Writer"]["responsibilities"] == ["Write more"]
    assert "extends" not in levels["Senior Writer"]
    assert levels["Writer"]["responsibilities"] == ["Write"]


def test_unfamiliar_sub_headings_of_a_level_are_its_other_lists():
    page = (
        "---\ntitle: Writer\n---\n\n## Writer\n\nThe Writer is a grade 6.\n\n"
        "### Responsibilities\n\n- Write\n\n"
        "### Projects you might work on\n\n- The style guide\n- The glossary\n\n"
        "### Requirements\n\n- Words\n\n### Additional skills\n\n- Typing\n\n"
        "### Nice-to-haves\n\n- Latin\n"
    )
    writer = import_text(page, "w.md").data["levels"][0]
    assert writer["responsibilities"] == ["Write"]
    assert writer["requirements"] == ["Words"]
    assert writer["other_lists"] == [
        {"title": "Projects you might work on", "items": ["The style guide", "The glossary"]},
        {"title": "Additional skills", "items": ["Typing"]},
        {"title": "Nice-to-haves", "items": ["Latin"]},
    ]


def test_a_level_whose_lists_follow_at_its_own_depth():
    page = (
        "---\ntitle: People\n---\n\n## VP, People\n\n### Job Grade\n\nThe VP, People is a grade 12."
        "\n\n## Responsibilities\n\n- Lead\n\n## Requirements\n\n- Experience\n\n"
        "## Performance Indicators\n\n- Retention\n"
    )
    data = import_text(page, "p.md").data
    vp = data["levels"][0]
    assert (vp["grade"], vp["responsibilities"], vp["requirements"]) == (
        12,
        ["Lead"],
        ["Experience"],
    )
    assert data["performance_indicators"] == ["Retention"]


def test_a_single_level_page_whose_lists_sit_outside_a_level_heading():
    page = (
        "---\ntitle: Legal Intern\n---\n\nAn internship.\n\n## Compensation\n\n"
        "Paid. The Legal Intern is a grade 4.\n\n"
        "## Responsibilities\n\n- Assist the team\n\n## Requirements\n\n- Law school\n"
    )
    result = import_text(page, "l.md")
    [intern] = result.data["levels"]
    assert (intern["title"], intern["grade"]) == ("Legal Intern", 4)
    assert intern["responsibilities"] == ["Assist the team"]
    assert intern["requirements"] == ["Law school"]
    assert "responsibilities" not in result.data
    assert any("single level 'Legal Intern'" in w.message for w in result.warnings)


def test_a_grade_heading_written_beside_the_level_heading():
    page = (
        "---\ntitle: Contract Manager\n---\n\n## Contract Manager\n\nManages contracts.\n\n"
        "## Job Grades\n\nThe Contract Manager is a grade 6.\n\n### Responsibilities\n\n- Draft\n\n"
        "## Senior Contract Manager\n\n### Job Grade\n\nThe Senior Contract Manager is a grade 7."
        "\n\n### Responsibilities\n\n- Negotiate\n"
    )
    levels = import_text(page, "c.md").data["levels"]
    assert [(lv["title"], lv["grade"], lv["responsibilities"]) for lv in levels] == [
        ("Contract Manager", 6, ["Draft"]),
        ("Senior Contract Manager", 7, ["Negotiate"]),
    ]


def test_hiring_steps_under_the_career_ladder_are_the_hiring_process():
    page = (
        "---\ntitle: Writer\n---\n\n## Writer\n\nThe Writer is a grade 6.\n\n"
        "### Responsibilities\n\n- Write\n\n## Career Ladder\n\n"
        "1. Selected candidates will be invited to a 30 minute screening call with a recruiter\n"
        "1. Next, candidates will interview with the hiring manager\n"
        "1. Finally, candidates will be made an offer\n"
    )
    result = import_text(page, "w.md")
    assert len(result.data["hiring_process"]["stages"]) == 3
    assert "moves" not in result.data.get("career_ladder", {})
    assert result.report.complete


def test_who_conducts_a_stage_is_text_unless_it_names_one_level_exactly():
    page = (
        "---\ntitle: Writer\n---\n\n## Manager, Writers\n\nThe Manager, Writers is a grade 8.\n\n"
        "### Responsibilities\n\n- Manage\n\n"
        "## Senior Manager, Writers\n\nThe Senior Manager, Writers is a grade 9.\n\n"
        "### Responsibilities\n\n- Manage more\n\n## Hiring Process\n\n"
        "### Interview\n\nA 60 minute interview with a Manager/Sr. Manager.\n\n"
        "### Final Interview\n\nA 30 minute interview with the Senior Manager, Writers.\n"
    )
    stages = import_text(page, "w.md").data["hiring_process"]["stages"]
    assert "level" not in stages[0].get("conducted_by", {})
    assert stages[1]["conducted_by"]["level"] == "senior-manager-writers"


def test_a_career_move_names_a_family_only_by_all_its_words():
    context = Context.from_mappings(
        [
            {"id": "customer-success-leadership", "title": "Customer Success Leadership"},
            {"id": "sales-development", "title": "Sales Development"},
        ]
    )
    page = (
        "---\ntitle: Writer\n---\n\n## Writer\n\nThe Writer is a grade 6.\n\n"
        "### Responsibilities\n\n- Write\n\n## Career Ladder\n\n"
        "The next step is to move to an Engineering Leadership job family.\n"
    )
    moves = import_text(page, "w.md", context=context).data["career_ladder"]["moves"]
    assert moves == [{"text": "an Engineering Leadership job family"}]
    senior = page.replace("an Engineering Leadership", "a senior leadership")
    moves = import_text(senior, "w.md", context=context).data["career_ladder"]["moves"]
    assert moves == [
        {"text": "a senior leadership job family", "family": "customer-success-leadership"}
    ]


def test_a_sentence_warned_as_not_kept_is_not_kept():
    page = (
        "---\ntitle: Writer\n---\n\n## Responsibilities\n\n- Extends the Editor responsibilities\n"
        "- Write\n\n## Writer\n\nThe Writer is a grade 6.\n\n### Responsibilities\n\n- Type\n"
    )
    result = import_text(page, "w.md")
    for warning in result.warnings:
        if "not kept" in warning.message:
            assert "Extends the Editor responsibilities" not in json.dumps(result.data)
    assert any("kept as an item" in w.message for w in result.warnings)
    assert "Extends the Editor responsibilities" in result.data["responsibilities"]


# --------------------------------------------------------------------------- the report


PAGE = (
    "---\ntitle: Writer\n---\n\n- a list before any heading\n\n## Writer\n\n"
    "The Writer is a grade 6.\n\n### Responsibilities\n\n- Write\n- Extends the Editor "
    "responsibilities\n\n### Projects\n\n- Docs\n\n## Hiring Process\n\n"
    "- A 30 minute screening call with a recruiter\n- An interview with the hiring manager\n"
)


def test_the_coverage_report_says_where_each_item_went():
    report = import_text(PAGE, "w.md").report
    assert (report.total, report.placed) == (6, 5)
    placed = {(p.line, p.where, p.target, p.kind, p.how) for p in report.placements}
    assert placed == {
        (13, "level", "writer-intermediate", "responsibilities", "item"),
        (14, "level", "writer-intermediate", "responsibilities", "item"),
        (18, "level", "writer-intermediate", "Projects", "item"),
        (22, "hiring_process", "", "", "stage"),
        (23, "hiring_process", "", "", "stage"),
    }
    [missing] = report.unplaced_items
    assert (missing.line, missing.text) == (5, "a list before any heading")
    assert not report.complete


def test_import_report_strict_and_json(tmp_path: Path, capsys):
    page = tmp_path / "writer.md"
    page.write_text(PAGE, encoding="utf-8")
    assert main(["import", str(page), "--standalone", "--report"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("coverage: 5 of 6 list items placed\n")
    assert "level writer-intermediate (Writer): responsibilities 2, Projects 1" in out
    assert "not placed: 1 item\n" in out
    assert ":5: under '': a list before any heading" in out
    assert main(["import", str(page), "--standalone", "--strict"]) == 1
    capsys.readouterr()
    assert main(["import", str(page), "--standalone", "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["report"]["total"] == 6 and payload["report"]["placed"] == 5
    assert payload["report"]["unplaced_items"][0]["line"] == 5
    complete = tmp_path / "complete.md"
    complete.write_text(PAGE.replace("- a list before any heading\n\n", ""), encoding="utf-8")
    assert main(["import", str(complete), "--standalone", "--strict"]) == 0


@pytest.mark.parametrize("strict", [True, False])
def test_strict_still_fails_on_data_that_does_not_validate(tmp_path: Path, strict, capsys):
    page = tmp_path / "writer.md"
    # A level with no responsibilities does not validate.
    page.write_text("---\ntitle: Writer\n---\n\n## Writer\n\nThe Writer is a grade 6.\n")
    args = ["import", str(page), "--standalone"] + (["--strict"] if strict else [])
    assert main(args) == (1 if strict else 0)


def test_a_career_ladder_written_under_the_hiring_process_is_read():
    page = (
        "---\ntitle: Writer\n---\n\n## Writer\n\nThe Writer is a grade 6.\n\n"
        "### Responsibilities\n\n- Write\n\n## Hiring Process\n\n"
        "- A 30 minute screening call with a recruiter\n- An interview with the hiring manager\n\n"
        "### Career Ladder\n\nThe next step is to move to the Editor job family.\n"
    )
    result = import_text(page, "w.md")
    assert len(result.data["hiring_process"]["stages"]) == 2
    assert result.data["career_ladder"]["text"] == [
        "The next step is to move to the Editor job family."
    ]


def test_a_level_part_written_as_a_higher_heading_does_not_swallow_the_next_levels():
    page = (
        "---\ntitle: Solutions Architect\n---\n\n## Levels\n\n"
        "### Staff Solutions Architect\n\nThe Staff Solutions Architect is a grade 9.\n\n"
        "#### Staff Solutions Architect Responsibilities\n\n- Lead deals\n\n"
        "### Strategic Deal Leadership\n\n- Orchestrate large deals\n- Win\n\n"
        "### Principal Solutions Architect\n\nThe Principal Solutions Architect is a grade 9."
        "\n\n## Principal Solutions Architect Responsibilities\n\n"
        "Extends the Staff Solutions Architect responsibilities with global impact.\n\n"
        "### Global Technical Leadership\n\n- Drive strategy\n\n"
        "#### Principal Solutions Architect Requirements\n\n- Authority\n\n"
        "### Manager, Solutions Architects\n\nThe Manager, Solutions Architects is a grade 9."
        "\n\n#### Manager, Solutions Architects Responsibilities\n\n- Grow the team\n"
    )
    result = import_text(page, "sa.md")
    levels = levels_of(result.data)
    assert list(levels) == [
        "Staff Solutions Architect",
        "Principal Solutions Architect",
        "Manager, Solutions Architects",
    ]
    staff = levels["Staff Solutions Architect"]
    assert staff["other_lists"] == [
        {"title": "Strategic Deal Leadership", "items": ["Orchestrate large deals", "Win"]}
    ]
    principal = levels["Principal Solutions Architect"]
    assert principal["extends"] == {"responsibilities": ["staff-solutions-architect"]}
    assert principal["responsibilities"] == ["Drive strategy"]
    assert principal["requirements"] == ["Authority"]
    assert levels["Manager, Solutions Architects"]["responsibilities"] == ["Grow the team"]
    assert result.report.complete


def test_each_level_with_its_own_hiring_process():
    page = (
        "---\ntitle: Writing\n---\n\n## Manager, Writing\n\nThe Manager, Writing is a grade 8.\n\n"
        "### Responsibilities\n\n- Manage\n\n### Hiring Process\n\n"
        "- Screening call with a recruiter.\n- Interview with the VP of UX.\n\n"
        "## Director, Writing\n\nThe Director, Writing is a grade 10.\n\n"
        "### Responsibilities\n\n- Direct\n\n### Hiring Process\n\n"
        "- Screening call with a recruiter.\n- Interview with the CEO.\n- Offer.\n"
    )
    result = import_text(page, "w.md")
    data = result.data
    # The first process is the family's; another level's own is kept as a list of it.
    assert [s["name"] for s in data["hiring_process"]["stages"]] == [
        "Screening call with a recruiter",
        "Interview with the VP of UX",
    ]
    director = levels_of(data)["Director, Writing"]
    assert director["other_lists"] == [
        {
            "title": "Hiring Process",
            "items": ["Screening call with a recruiter.", "Interview with the CEO.", "Offer."],
        }
    ]
    assert result.report.complete
    assert import_text(export_mapping(data), "again.md").data == data


def test_a_folder_whose_level_pages_repeat_the_hiring_process(tmp_path: Path):
    folder = tmp_path / "writer"
    folder.mkdir()
    (folder / "_index.md").write_text(
        "---\ntitle: Writer Roles\n---\n\n## Job Grades\n\n### Senior Writer\n\n"
        "The Senior Writer is a grade 7.\n\n#### Responsibilities\n\n- Summary item\n\n"
        "## Hiring Process\n\n- A 30 minute screening call with a recruiter\n"
        "- An interview with the hiring manager\n"
    )
    for name, title, weight, grade in (
        ("senior", "Senior Writer", 20, 7),
        ("writer", "Writer", 10, 6),
    ):
        (folder / f"{name}.md").write_text(
            f"---\ntitle: {title}\nweight: {weight}\n---\n\n## Responsibilities\n\n- Write\n\n"
            f"## Levels\n\n- [Writer](/writer/)\n- [Senior Writer](/senior/)\n\n"
            f"## Job Grade\n\nThe {title} is a grade {grade}.\n\n## Hiring Process\n\n"
            "- A 30 minute screening call with our recruiters\n- An interview with a manager\n"
        )
    result = import_path(folder)
    data = result.data
    assert [(lv["title"], lv["grade"]) for lv in data["levels"]] == [
        ("Writer", 6),
        ("Senior Writer", 7),
    ]
    assert len(data["hiring_process"]["stages"]) == 2
    senior = data["levels"][1]
    assert senior["other_lists"] == [
        {"title": "Levels", "items": ["Writer", "Senior Writer"]},
        {
            "title": "Hiring Process",
            "items": [
                "A 30 minute screening call with our recruiters",
                "An interview with a manager",
            ],
        },
    ]
    # The index page's summary of a level page is reported, not read as another level.
    [summary] = result.report.unplaced_items
    assert (summary.text, summary.section) == ("Summary item", "Responsibilities")


def test_a_single_level_page_with_a_list_of_the_neighbouring_levels():
    page = (
        "---\ntitle: Engineering Manager\n---\n\nManages engineers.\n\n## Job Grade\n\n"
        "The *Engineering Manager* role is a [grade 8](/grades/).\n\n"
        "## Responsibilities\n\n- Manage a team\n\n## Requirements\n\n- Use GitLab\n\n"
        "## Levels\n\n- [Senior Engineer](/job-families/engineering/senior/)\n"
        "- Engineering Manager\n- [Senior Engineering Manager](/job-families/eng/senior-manager/)\n"
    )
    levels = import_text(page, "em.md").data["levels"]
    assert [(lv["title"], lv.get("grade"), lv.get("responsibilities")) for lv in levels] == [
        ("Senior Engineer", None, None),
        ("Engineering Manager", 8, ["Manage a team"]),
        ("Senior Engineering Manager", None, None),
    ]
    assert levels[1]["requirements"] == ["Use GitLab"]
    assert levels[0]["defined_elsewhere"] == "/job-families/engineering/senior/"


def test_lists_under_group_and_overview_headings_are_kept():
    page = (
        "---\ntitle: Writer\n---\n\n## Overview\n\nWe write.\n\n- Remote\n- Async\n\n"
        "## Individual Contributor Levels\n\n- All levels write daily\n\n"
        "### Writer\n\nThe Writer is a grade 6.\n\n#### Responsibilities\n\n- Write\n\n"
        "### Senior Writer\n\nThe Senior Writer is a grade 7.\n\n#### Responsibilities\n\n"
        "- Write more\n"
    )
    result = import_text(page, "w.md")
    assert result.data["other_lists"] == [
        {"title": "Overview", "items": ["Remote", "Async"]},
        {"title": "Individual Contributor Levels", "items": ["All levels write daily"]},
    ]
    assert [lv["title"] for lv in result.data["levels"]] == ["Writer", "Senior Writer"]
    assert result.report.complete


def test_a_grade_table_under_an_unfamiliar_heading_gives_the_grades():
    page = (
        "---\ntitle: Renewals Manager\n---\n\n### **Renewals Manager Job Family**\n\n"
        "| Role | Grade |\n| --- | --- |\n| Associate Renewals Manager | 5 |\n"
        "| Sr. Director, Renewals | 11 |\n\nRenewal Managers renew.\n\n"
        "## Associate Renewals Manager\n\nThe Associate Renewals Manager reports to the "
        "Sr. Director, Renewals.\n\n### Associate Renewals Manager Responsibilities\n\n- Renew\n\n"
        "## Senior Director, Renewals\n\nThe Senior Director, Renewals reports to the CRO.\n\n"
        "### Senior Director, Renewals Responsibilities\n\n- Lead\n"
    )
    data = import_text(page, "r.md").data
    assert [(lv["title"], lv.get("grade")) for lv in data["levels"]] == [
        ("Associate Renewals Manager", 5),
        ("Senior Director, Renewals", 11),
    ]
    assert data["intro"] == ["Renewal Managers renew."]


def test_a_list_folded_in_details_is_no_hiring_step():
    page = (
        "---\ntitle: Writer\n---\n\n## Writer\n\nThe Writer is a grade 6.\n\n"
        "### Responsibilities\n\n- Write\n\n## Hiring Process\n\n"
        "- A 30 minute screening call with a recruiter\n\n"
        "<details>\n<summary>Video transcript</summary>\n\n"
        "1. Firstly, the interviewers will read your notes before the interview\n"
        "1. Secondly, the video interview is short\n\n</details>\n\n"
        "- A 60 minute interview with the hiring manager\n"
    )
    result = import_text(page, "w.md")
    assert len(result.data["hiring_process"]["stages"]) == 2
    assert [i.line for i in result.report.unplaced_items] == [20, 21]
