"""Hiring stages written as a list, and reports-to sentences that go on after the role:
pages written for these tests (``fixtures/handbook``) and small pages inline."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from ladder.handbook import export_mapping, import_path, import_text
from ladder.handbook.metadata import METADATA_MARK
from ladder.handbook.phrases import find_reports_to, reports_target
from ladder.handbook.stages import is_stage_heading, is_stage_text, list_stage_name, stage_name
from ladder.loader import build_ladder

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "handbook"
LIST_PAGES = ["frontend-engineer.md", "data-analyst.md"]


def level(data: dict[str, Any], level_id: str) -> dict[str, Any]:
    return next(lv for lv in data["levels"] if lv["id"] == level_id)


def stage(data: dict[str, Any], stage_id: str) -> dict[str, Any]:
    return next(s for s in data["hiring_process"]["stages"] if s["id"] == stage_id)


def overrides_of(page: str) -> list[dict[str, Any]]:
    start = page.find(f"<!-- {METADATA_MARK}")
    if start < 0:
        return []
    body = page[start + len(f"<!-- {METADATA_MARK}") : page.rindex("-->")]
    return list(yaml.safe_load(body)["overrides"])


@pytest.fixture(scope="module")
def frontend() -> Any:
    return import_path(FIXTURES / "frontend-engineer.md")


@pytest.fixture(scope="module")
def analyst() -> Any:
    return import_path(FIXTURES / "data-analyst.md")


# --------------------------------------------------------------------------- list stages


def test_each_item_of_a_mixed_list_is_a_stage(frontend):
    hiring = frontend.data["hiring_process"]
    assert hiring["intro"] == [
        "Candidates for this position can expect the hiring process to follow the order "
        "below. Please keep in mind that candidates can be declined from the position at any "
        "stage of the process."
    ]
    assert hiring["outro"] == [
        "Additional details about our process can be found on our hiring page."
    ]
    assert [
        (s["id"], s["name"], s["source_line"], s.get("duration_minutes"), s.get("conducted_by"))
        for s in hiring["stages"]
    ] == [
        (
            "recruiter-screening",
            "Recruiter Screening",
            74,
            30,
            {"text": "one of our Global Recruiters", "roles": ["recruiter"]},
        ),
        (
            "technical-interview",
            "Technical Interview",
            75,
            45,  # "45-minute"
            {
                "text": "a Senior Frontend Engineer",
                "roles": ["team_member"],
                "level": "senior-frontend-engineer",
            },
        ),
        (
            "interview-with-the-manager-frontend-engineering",
            "Interview with the Manager, Frontend Engineering",
            76,  # a "1." item among "-" items
            60,  # "one hour"
            {
                "text": "the Manager, Frontend Engineering",
                "roles": ["executive"],
                "level": "manager-frontend-engineering",
            },
        ),
        (
            "interview-with-the-director-of-engineering",
            "Interview with the Director of Engineering",
            77,
            50,  # "50 min"
            {"text": "our Director of Engineering", "roles": ["executive"]},
        ),
        ("offer", "Offer", 78, None, None),
    ]
    # The item's full text is the stage's text.
    assert stage(frontend.data, "offer")["text"] == [
        "Successful candidates will subsequently be made an offer."
    ]
    assert stage(frontend.data, "technical-interview")["text"] == [
        "Next, candidates will be invited to schedule a 45-minute technical interview with a "
        "Senior Frontend Engineer."
    ]


def test_a_heading_that_is_not_a_stage_after_a_stage_list_is_a_warning(frontend):
    assert "Preparing for your interviews" not in [
        s["name"] for s in frontend.data["hiring_process"]["stages"]
    ]
    assert (
        82,
        "heading 'Preparing for your interviews' in the hiring process is not a stage; not kept",
    ) in [(w.line, w.message) for w in frontend.warnings]


def test_names_from_the_item_itself_from_its_words_or_its_place(analyst):
    stages = analyst.data["hiring_process"]["stages"]
    assert [(s["id"], s["name"], s.get("duration_minutes")) for s in stages] == [
        ("screening-call", "Screening call", 30),  # "**Screening call** with ..."
        ("take-home-assessment", "Take-home assessment", None),  # "Take-home assessment: ..."
        ("technical-interview", "Technical Interview", 60),
        ("stage-4", "Stage 4", None),  # "Candidates then meet the team."
        ("stage-5", "Stage 5", 30),  # "Half an hour with the Head of Data."
        ("reference-and-background-check", "Reference and Background Check", None),
        ("executive-chat", "Executive Chat", 30),  # a heading naming a stage of its own
    ]
    assert stage(analyst.data, "screening-call")["conducted_by"] == {
        "text": "a member of our recruiting team",
        "roles": ["recruiter"],
    }
    assert stage(analyst.data, "stage-5")["conducted_by"] == {
        "text": "the Head of Data",
        "roles": ["executive"],
    }
    assert stage(analyst.data, "executive-chat")["conducted_by"] == {
        "text": "the VP of Finance",
        "roles": ["executive"],
    }


def test_sub_items_are_the_format_and_a_heading_naming_a_list_stage_adds_to_it(analyst):
    technical = stage(analyst.data, "technical-interview")
    assert technical == {
        "id": "technical-interview",
        "name": "Technical Interview",
        "source_line": 54,
        "duration_minutes": 60,
        "conducted_by": {
            "text": "two Data Analysts",
            "roles": ["team_member", "team_member"],
            "level": "data-analyst-intermediate",
        },
        "format": ["Walk through the take-home assessment", "Live SQL exercise"],
        "text": [
            "A 60 minute technical interview with two Data Analysts, with the following format:",
            "The technical interview is held over video.",
        ],
    }


def test_paragraphs_and_lists_around_the_stage_lists(analyst):
    hiring = analyst.data["hiring_process"]
    assert hiring["intro"] == [
        "Before you apply, please make sure that:",
        "Our hiring process for Data Analysts has the following stages.",
    ]
    assert "outro" not in hiring
    assert stage(analyst.data, "stage-5")["text"] == [
        "For senior positions, one more stage follows:",
        "Half an hour with the Head of Data.",
    ]
    assert [(w.line, w.message) for w in analyst.warnings] == [
        (32, "reports-to 'Head of Data' names no known level; kept as text"),
        (47, "list in the hiring process introduction names no stage; not kept"),
        (59, "paragraph between hiring stages read as part of 'Stage 5'"),
    ]


def test_a_list_of_stages_without_headings_or_closing_paragraph():
    page = (
        "# Writer\n\n## Writer\n\nThe Writer is a grade 6.\n\n### Responsibilities\n\n"
        "- Write\n\n## Hiring Process\n\n"
        "1. Qualified candidates will be invited to a 30-minute screening call with a "
        "recruiter.\n\n"
        "2. Next, a half an hour writing exercise.\n"
        "* Then, an interview with the hiring manager (1 hour).\n"
        "+ Finally, we ask for references.\n"
        "1) Candidates receive an offer.\n"
    )
    result = import_text(page, "w.md")
    stages = result.data["hiring_process"]["stages"]
    assert [
        (s["id"], s["source_line"], s.get("duration_minutes"), s.get("conducted_by"))
        for s in stages
    ] == [
        ("recruiter-screening", 13, 30, {"text": "a recruiter", "roles": ["recruiter"]}),
        ("writing-exercise", 15, 30, None),
        (
            "interview-with-the-hiring-manager",
            16,
            60,
            {"text": "the hiring manager", "roles": ["hiring_manager"]},
        ),
        ("reference-check", 17, None, None),
        ("offer", 18, None, None),
    ]
    assert "intro" not in result.data["hiring_process"]
    assert result.warnings == []


def test_a_short_list_of_stages_with_a_heading_for_each_merges_them():
    page = (
        "# Writer\n\n## Writer\n\nThe Writer is a grade 6.\n\n### Responsibilities\n\n"
        "- Write\n\n## Hiring Process\n\n1. Screening call\n2. Technical interview\n"
        "3. Offer\n\n### Screening Call\n\nA 30 minute call with a recruiter.\n\n"
        "### Technical Interview\n\nA 60 minute interview with two Writers.\n\n"
        "### Tips\n\nBe kind.\n"
    )
    result = import_text(page, "w.md")
    stages = result.data["hiring_process"]["stages"]
    assert [(s["id"], s["name"], s["source_line"], s.get("duration_minutes")) for s in stages] == [
        ("screening-call", "Screening Call", 13, 30),
        ("technical-interview", "Technical Interview", 14, 60),
        ("offer", "Offer", 15, None),
    ]
    assert stages[0]["text"] == ["Screening call", "A 30 minute call with a recruiter."]
    assert stages[1]["conducted_by"] == {
        "text": "two Writers",
        "roles": ["team_member", "team_member"],
        "level": "writer-intermediate",
    }
    assert [(w.line, w.message) for w in result.warnings] == [
        (25, "heading 'Tips' in the hiring process is not a stage; not kept")
    ]
    assert import_text(export_mapping(result.data), "again.md").data == result.data


def test_a_list_before_stage_headings_that_names_no_stage_leaves_the_headings_as_stages():
    page = (
        "# Writer\n\n## Writer\n\nThe Writer is a grade 6.\n\n### Responsibilities\n\n"
        "- Write\n\n## Hiring Process\n\nPlease note:\n\n- we hire in all time zones\n\n"
        "### Portfolio\n\nSend us three pieces of writing.\n\n"
        "### Values\n\nA 30 minute conversation with a team member.\n"
    )
    result = import_text(page, "w.md")
    hiring = result.data["hiring_process"]
    assert [s["id"] for s in hiring["stages"]] == ["portfolio", "values"]
    assert hiring["intro"] == ["Please note:"]
    assert [(w.line, w.message) for w in result.warnings] == [
        (15, "list in the hiring process introduction not kept")
    ]


def test_a_list_alone_that_names_no_step_is_still_the_stages():
    page = (
        "# Writer\n\n## Writer\n\nThe Writer is a grade 6.\n\n### Responsibilities\n\n"
        "- Write\n\n## Hiring Process\n\n- Portfolio\n- Values: why you want to join\n"
    )
    stages = import_text(page, "w.md").data["hiring_process"]["stages"]
    assert [(s["id"], s["name"]) for s in stages] == [
        ("portfolio", "Portfolio"),
        ("values", "Values"),
    ]


def test_the_seed_style_heading_stages_are_read_as_before():
    page = (
        "# Writer\n\n## Writer\n\nThe Writer is a grade 6.\n\n### Responsibilities\n\n"
        "- Write\n\n## Hiring Process\n\nIntro.\n\n### Written Assessment\n\n"
        "The assessment is a written questionnaire.\n\n### Reference and Background Check\n\n"
        "GitLab will complete reference checks.\n\n"
        "Additional details about our process can be found on our hiring page.\n"
    )
    hiring = import_text(page, "w.md").data["hiring_process"]
    assert [s["name"] for s in hiring["stages"]] == [
        "Written Assessment",
        "Reference and Background Check",
    ]
    assert hiring["outro"] == [
        "Additional details about our process can be found on our hiring page."
    ]


@pytest.mark.parametrize(
    ("text", "who", "name"),
    [
        (
            "Qualified candidates will be invited to schedule a 30 minute screening call with "
            "one of our Global Recruiters.",
            "one of our Global Recruiters",
            "Recruiter Screening",
        ),
        (
            "Next, candidates will be invited to schedule a 45 minute technical interview with "
            "a Backend Engineer.",
            "a Backend Engineer",
            "Technical Interview",
        ),
        (
            "Then, a 60 minute interview with the Engineering Manager.",
            "the Engineering Manager",
            "Interview with the Engineering Manager",
        ),
        (
            "Finally, candidates will have a 50 minute interview with our Director of Engineering.",
            "our Director of Engineering",
            "Interview with the Director of Engineering",
        ),
        ("Successful candidates will subsequently be made an offer.", None, "Offer"),
        ("Candidates will be asked to provide two references.", None, "Reference Check"),
        ("We run a background check.", None, "Background Check"),
        (
            "Screening call with a recruiter (30 minutes)",
            "a recruiter",
            "Screening call with a recruiter",
        ),
        ("Technical assessment: a take-home set of tickets", None, "Technical assessment"),
        ("Pairing - two engineers work with you on an issue", None, "Pairing"),
        ("Candidates complete a take-home assignment.", None, "Take-Home Assignment"),
        ("The panel interview consists of three team members.", None, "Panel Interview"),
        (
            "A 30 minute screening call with the hiring manager.",
            "the hiring manager",
            "Screening Call",
        ),
        ("Selected candidates will fill out a short questionnaire.", None, "Questionnaire"),
        (
            "Finally, candidates may be asked to interview with the CEO",
            "the CEO",
            "Interview with the CEO",
        ),
        ("The hiring manager will review your application.", "The hiring manager", None),
        ("Candidates then meet the team.", None, None),
    ],
)
def test_stage_name(text, who, name):
    assert stage_name(text, who) == name


def test_an_emphasised_lead_names_the_stage_and_a_nameless_item_is_numbered():
    assert stage_name("Screening call with a recruiter", lead="Screening") == "Screening"
    assert list_stage_name("Candidates then meet the team.", 4) == "Stage 4"
    assert list_stage_name("A 60 minute interview with two Data Analysts.", 2) == (
        "Interview with two Data Analysts"
    )


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Technical Interview", True),
        ("Take-home Assignment", True),
        ("30 minute chat", True),
        ("Reference and Background Check", True),
        ("Offer", True),
        ("Interview Tips", False),
        ("Preparing for your interviews", False),
        ("Additional information", False),
        ("About the team", False),
        ("Our values", False),
    ],
)
def test_is_stage_heading(title, expected):
    assert is_stage_heading(title) is expected


def test_is_stage_text():
    assert is_stage_text("Half an hour with the Head of Data.")
    assert is_stage_text("Candidates then meet the team.")
    assert not is_stage_text("you can work in the EMEA time zones")


# --------------------------------------------------------------------------- reports-to


@pytest.mark.parametrize(
    ("text", "target"),
    [
        ("Engineering Manager and is grade 7", "Engineering Manager"),
        ("Engineering Manager and is a grade 7.", "Engineering Manager"),
        ("Engineering Manager and has a team of five", "Engineering Manager"),
        ("Engineering Manager at grade 7", "Engineering Manager"),
        ("Engineering Manager as a grade 7 role", "Engineering Manager"),
        ("Engineering Manager, Backend, and works with Product", "Engineering Manager, Backend"),
        ("Director; the role is grade 9", "Director"),
        ("Director, who reports to the VP", "Director"),
        ("Director of Support and mentors new hires", "Director of Support"),
        ("Director (grade 10) of Support", "Director of Support"),
        ("Director of Engineering, is grade 8", "Director of Engineering"),
        ("Director, and in this role owns the budget", "Director"),
        # Titles joined by "and" or "/" stay whole.
        ("Manager/Senior Manager, CSM", "Manager/Senior Manager, CSM"),
        ("Manager and Senior Manager, CSM", "Manager and Senior Manager, CSM"),
        ("manager and senior manager, CSM", "manager and senior manager, CSM"),
        ("Director of Sales and Marketing", "Director of Sales and Marketing"),
        ("Director and managers of other teams", "Director and managers of other teams"),
    ],
)
def test_reports_target(text, target):
    assert reports_target(text) == target


def test_find_reports_to_stops_at_the_clause_after_the_role():
    assert find_reports_to(
        "The Senior Backend Engineer reports to the Engineering Manager and is grade 7."
    ) == ("Senior Backend Engineer", "Engineering Manager")
    assert find_reports_to("The CSM reports to the Manager and Senior Manager, CSM.") == (
        "CSM",
        "Manager and Senior Manager, CSM",
    )


def test_reports_to_with_a_tail_resolves_and_gives_the_grade(frontend):
    data = frontend.data
    assert [(lv["id"], lv.get("grade"), lv.get("reports_to")) for lv in data["levels"]] == [
        (
            "frontend-engineer-intermediate",
            6,  # "... reports to the Manager, Frontend Engineering at grade 6."
            {"levels": ["manager-frontend-engineering"], "text": "Manager, Frontend Engineering"},
        ),
        (
            "senior-frontend-engineer",
            7,  # "... and is grade 7."
            {"levels": ["manager-frontend-engineering"], "text": "Manager, Frontend Engineering"},
        ),
        (
            "staff-frontend-engineer",
            8,
            {
                "levels": ["manager-frontend-engineering", "senior-manager-frontend-engineering"],
                "text": "Manager and Senior Manager, Frontend Engineering",
            },
        ),
        ("manager-frontend-engineering", 8, {"text": "Director of Engineering"}),
        ("senior-manager-frontend-engineering", 10, {"text": "Director of Engineering"}),
    ]
    assert [(w.line, w.message) for w in frontend.warnings if "grade" in w.message] == [
        (
            59,
            "reports-to sentence gives grade 9 for 'Senior Manager, Frontend Engineering', the "
            "page gives 10 elsewhere; 10 kept",
        )
    ]


def test_reports_to_grades_in_a_list_line_and_a_reports_to_heading():
    page = (
        "---\ntitle: Security Analyst\n---\n\n## Levels\n\n"
        "### Security Analyst\n\n- Reports to: Security Manager, at grade 6\n- Triage alerts\n\n"
        "### Senior Security Analyst\n\n#### Reports To\n\n"
        "The Security Manager and is a grade 7\n\n#### Responsibilities\n\n- Lead responses\n\n"
        "### Security Manager\n\n- Job Grade: 8\n- Manage analysts\n"
    )
    levels = import_text(page, "s.md").data["levels"]
    assert [(lv["id"], lv.get("grade"), lv.get("reports_to")) for lv in levels] == [
        (
            "security-analyst-intermediate",
            6,
            {"levels": ["security-manager"], "text": "Security Manager"},
        ),
        (
            "senior-security-analyst",
            7,
            {"levels": ["security-manager"], "text": "Security Manager"},
        ),
        ("security-manager", 8, None),
    ]


# --------------------------------------------------------------------------- the pages


@pytest.mark.parametrize("page", LIST_PAGES)
def test_the_pages_validate(page):
    data = import_path(FIXTURES / page).data
    result = build_ladder([(f"{data['id']}.yaml", data)])
    assert [str(p) for p in result.errors] == []


@pytest.mark.parametrize("page", LIST_PAGES)
def test_the_pages_round_trip_with_few_overrides(page):
    data = import_path(FIXTURES / page).data
    exported = export_mapping(data)
    assert import_text(exported, "again.md").data == data
    assert {op["path"][-1] for op in overrides_of(exported)} <= {"source_line", "file", "source"}


def test_stages_from_a_list_are_written_back_as_a_list(frontend, analyst):
    page = export_mapping(frontend.data)
    hiring = page[page.index("## Hiring Process") :]
    assert (
        "1. Qualified candidates will be invited to schedule a 30 minute screening call" in hiring
    )
    assert "5. Successful candidates will subsequently be made an offer.\n" in hiring
    assert "###" not in hiring
    assert hiring.index("5. Successful") < hiring.index("Additional details about our process")
    # A stage with a heading's paragraphs added is written as a heading.
    page = export_mapping(analyst.data)
    assert "### Technical Interview\n" in page


def test_a_family_with_list_stages_round_trips_from_the_words_of_the_page():
    family = {
        "id": "writer",
        "title": "Writer",
        "levels": [
            {
                "id": "writer-intermediate",
                "title": "Writer",
                "grade": 6,
                "track": "individual_contributor",
                "responsibilities": ["Write"],
            }
        ],
        "hiring_process": {
            "intro": ["Candidates can expect the following stages."],
            "stages": [
                {
                    "id": "recruiter-screening",
                    "name": "Recruiter Screening",
                    "duration_minutes": 30,
                    "conducted_by": {"text": "a recruiter", "roles": ["recruiter"]},
                    "text": ["Candidates have a 30 minute screening call with a recruiter."],
                },
                {
                    "id": "writing-exercise",
                    "name": "Writing Exercise",
                    "format": ["Edit a draft", "Write a summary"],
                    "text": ["Candidates complete a writing exercise, in two parts:"],
                },
                {
                    "id": "offer",
                    "name": "Offer",
                    "text": ["Successful candidates will subsequently be made an offer."],
                },
            ],
            "outro": ["Candidates may be declined at any stage."],
        },
    }
    page = export_mapping(family)
    assert "1. Candidates have a 30 minute screening call with a recruiter.\n" in page
    assert "   - Edit a draft\n" in page
    assert import_text(page, "writer.md").data == family
    # Only the facts a page has no words for: the data has no source nor source lines.
    assert {op["path"][-1] for op in overrides_of(page)} == {"source", "source_line"}
