"""Importing handbook job-family pages: the seed pages against the shipped data, and pages
of other departments written for these tests (``fixtures/handbook``)."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from ladder.handbook import Context, ImportWarning, import_path, import_text
from ladder.loader import DATA_DIR, build_ladder

SEEDS = Path(__file__).resolve().parents[2] / "fixtures" / "seeds"
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "handbook"
SEED_FILES = {
    "customer-success-management": "000_b057939502002505.txt",
    "customer-success-leadership": "001_8ddbddec4a730b8e.txt",
    "customer-success-architect": "003_a8d2858075e78d2a.txt",
}

# Where the shipped data departs from what its page says, by choice recorded in a note of
# the level: (family, level id, key path under the level) -> words of that note.
CORRECTIONS: dict[tuple[str, str, tuple[str, ...]], str] = {
    ("customer-success-management", "associate-csm", ("extends",)): (
        "read as the base of the individual contributor CSM levels"
    ),
    ("customer-success-management", "senior-cse", ("reports_to", "levels")): (
        "legacy Technical Account Manager title"
    ),
    ("customer-success-management", "staff-cse", ("reports_to", "levels")): (
        "legacy Technical Account Manager title"
    ),
}
# Facts a job-family page does not state: the licence of the page, the competency set and
# the responsibilities table (they come from other pages), and the notes.
NOT_ON_THE_PAGE = ("competencies", "expectations")

# Every warning of each seed page, imported among the other shipped families.
SEED_WARNINGS = {
    "customer-success-management": [
        (
            272,
            "grade sentence names 'Director of CSM' under the heading 'Senior Director of CSM "
            "Job Grade'; grade 11 read as 'Senior Director of Customer Success Management''s",
        ),
        (
            371,
            "'Customer Success Engineer (CSE)' under the specialties is extended by 'Senior "
            "Customer Success Engineer'; read as a level",
        ),
        (
            401,
            "reports-to 'Manager, TAM', 'Senior Manager, TAM' names no known level; kept as text",
        ),
        (
            429,
            "reports-to 'Manager, TAM', 'Senior Manager, TAM' names no known level; kept as text",
        ),
    ],
    "customer-success-leadership": [
        (
            49,
            "heading 'Director of Customer Success' names no section; read as requirements "
            "(the next one missing)",
        ),
    ],
    "customer-success-architect": [
        (44, "line without a '- ' marker inside a list read as a list item"),
        (57, "line without a '- ' marker inside a list read as a list item"),
    ],
}


def shipped_mapping(family_id: str) -> dict[str, Any]:
    data = yaml.safe_load((DATA_DIR / f"{family_id}.yaml").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def other_families(family_id: str) -> Context:
    return Context.from_mappings(
        shipped_mapping(path.stem)
        for path in sorted(DATA_DIR.glob("*.yaml"))
        if path.stem not in (family_id, "competencies")
    )


def without_notes(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: without_notes(v) for k, v in value.items() if k != "notes"}
    if isinstance(value, list):
        return [without_notes(v) for v in value]
    return value


def level(data: dict[str, Any], level_id: str) -> dict[str, Any]:
    found = [lv for lv in data["levels"] if lv["id"] == level_id]
    assert len(found) == 1, level_id
    return found[0]


def at(mapping: dict[str, Any], path: tuple[str, ...]) -> Any:
    for key in path:
        mapping = mapping.get(key, {}) if isinstance(mapping, dict) else {}
    return mapping


def put(mapping: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    for key in path[:-1]:
        mapping = mapping.setdefault(key, {})
    mapping[path[-1]] = value


def import_seed(family_id: str, *, context: bool = True) -> Any:
    page = SEEDS / SEED_FILES[family_id]
    return import_path(page, context=other_families(family_id) if context else None)


@pytest.mark.parametrize("family_id", sorted(SEED_FILES))
def test_importing_a_seed_page_gives_the_shipped_data_but_the_noted_corrections(family_id):
    shipped = shipped_mapping(family_id)
    imported = import_seed(family_id).data
    expected = copy.deepcopy(shipped)
    for key in NOT_ON_THE_PAGE:
        expected.pop(key, None)
    expected["source"].pop("licence", None)
    for (family, level_id, path), words in CORRECTIONS.items():
        if family != family_id:
            continue
        shipped_level = level(shipped, level_id)
        assert any(words in note for note in shipped_level.get("notes", [])), (level_id, words)
        imported_level = level(imported, level_id)
        assert at(imported_level, path) != at(shipped_level, path), "no longer a correction"
        put(imported_level, path, copy.deepcopy(at(shipped_level, path)))
    assert without_notes(imported) == without_notes(expected)


@pytest.mark.parametrize("family_id", sorted(SEED_FILES))
def test_the_warnings_of_each_seed_page(family_id):
    result = import_seed(family_id)
    name = str(SEEDS / SEED_FILES[family_id])
    assert all(isinstance(w, ImportWarning) and w.file == name for w in result.warnings)
    assert [(w.line, w.message) for w in result.warnings] == SEED_WARNINGS[family_id]
    assert str(result.warnings[0]).startswith(f"{name}:{result.warnings[0].line}: ")


def test_without_the_other_families_only_references_that_leave_the_page_differ():
    alone = import_seed("customer-success-management", context=False).data
    assert "levels" not in level(alone, "director-csm")["reports_to"]  # VP of another family
    assert level(alone, "director-csm")["reports_to"]["text"] == "VP of Customer Success"
    assert alone["career_ladder"]["moves"] == [{"text": "a senior leadership job family"}]
    leadership = import_seed("customer-success-leadership", context=False)
    director = level(leadership.data, "director-cs")
    # A level of another family, without the families: no id is made up; the sentence
    # stays an item of its list, with a warning.
    assert "extends" not in director
    assert director["responsibilities"][0] == "Extends the Senior Manager, CSM responsibilities"
    assert director["requirements"][0] == "Extends the Manager, CSM requirements"
    assert (
        26,
        "'Senior Manager, CSM' names no level of this page; 'Extends the Senior Manager, CSM "
        "responsibilities' kept as an item",
    ) in [(w.line, w.message) for w in leadership.warnings]
    architect = import_seed("customer-success-architect", context=False).data
    assert architect["career_ladder"]["moves"] == [
        {"text": "Customer Success Engineer"},
        {"text": "Customer Success Manager"},
        {"text": "Solutions Architect"},
    ]


def test_the_imported_seed_families_validate_as_a_ladder():
    documents = [
        (f"{family_id}.yaml", import_seed(family_id).data) for family_id in sorted(SEED_FILES)
    ]
    documents.append(
        ("competencies.yaml", yaml.safe_load((DATA_DIR / "competencies.yaml").read_text()))
    )
    result = build_ladder(documents)
    messages = [str(p) for p in result.errors]
    assert messages == [], messages


@pytest.mark.parametrize("name", ["002_1a69f5a3218ebcaf.txt", "004_4888af2a0c6faf6b.txt"])
def test_pages_that_are_not_job_families_import_without_levels(name):
    result = import_path(SEEDS / name)
    assert result.data["levels"] == []
    assert any(w.message == "no level found on the page" for w in result.warnings)


# --------------------------------------------------------------------------- other pages


@pytest.fixture(scope="module")
def backend() -> Any:
    return import_path(FIXTURES / "backend-engineer.md")


def test_an_engineering_page_with_a_levels_table_and_level_headings(backend):
    data = backend.data
    assert data["id"] == "backend-engineer"
    assert [(lv["id"], lv.get("grade"), lv["track"]) for lv in data["levels"]] == [
        ("backend-engineer-intermediate", 6, "individual_contributor"),
        ("senior-backend-engineer", 7, "individual_contributor"),
        ("staff-backend-engineer", 8, "individual_contributor"),
        ("principal-backend-engineer", 9, "individual_contributor"),
        ("distinguished-backend-engineer", 10, "individual_contributor"),
        ("engineering-manager-backend", 8, "manager"),
    ]
    assert data["responsibilities"][0] == (
        "Ship small, well-tested changes to production several times a week"
    )
    assert data["performance_indicators"] == ["Merge request rate", "Service availability"]


def test_a_table_row_without_a_section_is_a_level_defined_elsewhere(backend):
    manager = level(backend.data, "engineering-manager-backend")
    assert manager == {
        "id": "engineering-manager-backend",
        "title": "Engineering Manager, Backend",
        "grade": 8,
        "track": "manager",
        "source_line": 29,
        "defined_elsewhere": "/job-families/engineering/backend-engineering-manager/"
        "#engineering-manager",
    }
    senior = level(backend.data, "senior-backend-engineer")
    assert senior["reports_to"] == {
        "levels": ["engineering-manager-backend"],
        "text": "Engineering Manager, Backend",
    }


def test_inheritance_phrased_in_several_ways(backend):
    extends = {lv["id"]: lv.get("extends") for lv in backend.data["levels"]}
    assert extends["senior-backend-engineer"] == {
        # "Everything in the Intermediate ..., plus:", "Extends the ... (Intermediate) ..."
        "responsibilities": ["backend-engineer-intermediate"],
        "requirements": ["backend-engineer-intermediate"],
    }
    assert extends["staff-backend-engineer"] == {
        "responsibilities": ["senior-backend-engineer"],  # "Includes all of the ..."
        "requirements": ["senior-backend-engineer"],  # "Same as the ... requirements"
    }
    assert extends["principal-backend-engineer"] == {
        "responsibilities": ["staff-backend-engineer"]  # "Extends the Staff responsibilities"
    }
    senior = level(backend.data, "senior-backend-engineer")
    assert senior["responsibilities"] == [
        "Lead the technical design of features across a stage group",
        "Mentor intermediate engineers through pairing and reviews",
    ]


def test_bullet_markers_and_continuation_lines(backend):
    intermediate = level(backend.data, "backend-engineer-intermediate")
    assert intermediate["responsibilities"] == [
        "Deliver features of small to medium size with guidance on the design",
        "Fix bugs in the areas the group owns, including the ones found by customers",
        "Write documentation for the features they build",
    ]


def test_grades_written_in_several_ways(backend):
    # "is a [grade 6](...)", "Grade 7", "Job Grade: 8", "is a job grade 9", "10".
    assert [lv.get("grade") for lv in backend.data["levels"][:5]] == [6, 7, 8, 9, 10]


def test_specialties_hiring_stages_and_career_moves(backend):
    data = backend.data
    assert data["specialties"] == [
        {
            "id": "database",
            "title": "Database",
            "source_line": 129,
            "responsibilities": ["Own the performance and scaling of the main database"],
        },
        {
            "id": "security",
            "title": "Security",
            "source_line": 133,
            "responsibilities": ["Build the authentication and authorization services"],
        },
    ]
    stages = data["hiring_process"]["stages"]
    assert [(s["id"], s.get("duration_minutes"), s.get("conducted_by")) for s in stages] == [
        ("screening-call", 45, {"text": "one of our recruiters", "roles": ["recruiter"]}),
        (
            "technical-interview",
            60,
            {
                "text": "a Senior Backend Engineer",
                "roles": ["team_member"],
                "level": "senior-backend-engineer",
            },
        ),
        (
            "hiring-manager-interview",
            50,
            {"text": "the hiring manager", "roles": ["hiring_manager"]},
        ),
    ]
    assert data["career_ladder"]["moves"] == [
        {"text": "Engineering Manager"},
        {"text": "Site Reliability Engineer"},
    ]


def test_what_the_engineering_page_could_not_place(backend):
    staff = level(backend.data, "staff-backend-engineer")
    assert staff["other_lists"] == [
        {"title": "Nice-to-haves", "items": ["Contributions to open source databases"]}
    ]
    assert backend.report.complete
    assert [(w.line, w.message) for w in backend.warnings] == [
        (97, "reports-to 'Director of Engineering' names no known level; kept as text"),
        (115, "reports-to 'VP of Engineering' names no known level; kept as text"),
    ]


def test_a_page_without_front_matter_with_level_headings_at_depth_two():
    result = import_path(FIXTURES / "support-engineering.md")
    data = result.data
    assert (data["id"], data["title"]) == ("support-engineering", "Support Engineering")
    assert [(lv["id"], lv.get("grade")) for lv in data["levels"]] == [
        ("support-engineer", 6),
        ("senior-support-engineer", 7),
        ("staff-support-engineer", 8),
        ("support-manager", 8),
    ]
    senior = level(data, "senior-support-engineer")
    assert "short_title" not in senior  # "Senior Support Engineers" is the title in the plural
    assert senior["reports_to"] == {"levels": ["support-manager"], "text": "Support Manager"}
    assert senior["extends"] == {
        "responsibilities": ["support-engineer"],  # "Same as Intermediate"
        "requirements": ["support-engineer"],
    }
    assert senior["responsibilities"] == [
        "Handle escalated and emergency tickets",
        "Coach other support engineers on difficult cases",
    ]
    stages = data["hiring_process"]["stages"]
    assert [(s["name"], s.get("duration_minutes")) for s in stages] == [
        ("Screening call with a recruiter", 30),
        ("Technical assessment", None),
        ("Interview with the hiring manager", 45),
    ]
    assert [(w.line, w.message) for w in result.warnings] == [
        (49, "reports-to 'Director of Support' names no known level; kept as text")
    ]


def test_a_family_split_into_a_folder_with_an_index_and_one_page_per_level():
    result = import_path(FIXTURES / "product-designer")
    data = result.data
    assert (data["id"], data["source"]) == (
        "product-designer",
        {"file": "product-designer/index.md"},
    )
    assert [(lv["id"], lv.get("grade"), lv["track"]) for lv in data["levels"]] == [
        ("product-designer-intermediate", 6, "individual_contributor"),
        ("senior-product-designer", 7, "individual_contributor"),
        ("staff-product-designer", 8, "individual_contributor"),
        ("product-design-manager", 8, "manager"),
    ]
    staff = level(data, "staff-product-designer")
    assert staff["extends"] == {
        "responsibilities": ["product-designer-intermediate", "senior-product-designer"],
        "requirements": ["senior-product-designer"],
    }
    assert staff["market_justification"].startswith("Staff designers connect")
    assert level(data, "senior-product-designer")["extends"]["requirements"] == [
        "product-designer-intermediate"  # "Meets the requirements of the Product Designer role"
    ]
    assert data["performance_indicators"][0] == "Usability of the features the designer worked on"
    assert [s["id"] for s in data["hiring_process"]["stages"]] == [
        "portfolio-review",
        "design-interview",
    ]
    assert [w.file.rsplit("/", 1)[-1] for w in result.warnings] == ["product-design-manager.md"]


def test_a_folder_without_an_index_name_uses_the_page_with_family_sections(tmp_path):
    for path in (FIXTURES / "product-designer").iterdir():
        name = "overview.md" if path.name == "index.md" else path.name
        (tmp_path / name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    data = import_path(tmp_path).data
    assert data["id"] == "product-designer"
    assert len(data["levels"]) == 4


def test_an_empty_folder_and_a_missing_file_are_warnings(tmp_path):
    empty = import_path(tmp_path)
    assert empty.data["levels"] == []
    assert empty.warnings[0].message == "no markdown page in the folder"
    missing = import_path(tmp_path / "nope.md")
    assert missing.warnings[0].message.startswith("cannot read")


def test_levels_given_only_in_a_table():
    page = (
        "---\ntitle: Data Analyst\n---\n\n## Levels\n\n"
        "| Title | Job Grade |\n|---|---|\n"
        "| [Data Analyst](/job-families/data/analyst/#intermediate) | 6 |\n"
        "| [Senior Data Analyst](/job-families/data/analyst/#senior) | 7 |\n"
    )
    data = import_text(page, "analyst.md").data
    assert data["levels"] == [
        {
            "id": "data-analyst-intermediate",
            "title": "Data Analyst",
            "grade": 6,
            "track": "individual_contributor",
            "source_line": 9,
            "defined_elsewhere": "/job-families/data/analyst/#intermediate",
        },
        {
            "id": "senior-data-analyst",
            "title": "Senior Data Analyst",
            "grade": 7,
            "track": "individual_contributor",
            "source_line": 10,
            "defined_elsewhere": "/job-families/data/analyst/#senior",
        },
    ]


def test_rank_only_level_titles_get_the_family_in_their_id():
    """A level id never equals the family id: the plain title is the intermediate level."""
    page = (
        "---\ntitle: Frontend Engineer\n---\n\n## Intermediate\n\nThe Intermediate is a grade 6."
        "\n\n### Responsibilities\n\n- Build views\n\n## Senior\n\n### Senior Job Grade\n\n7\n\n"
        "### Responsibilities\n\n- Extends the Intermediate responsibilities\n- Lead views\n"
    )
    data = import_text(page).data
    assert [(lv["id"], lv["title"], lv.get("grade")) for lv in data["levels"]] == [
        ("frontend-engineer-intermediate", "Intermediate", 6),
        ("senior-frontend-engineer", "Senior", 7),
    ]
    assert data["levels"][1]["extends"] == {"responsibilities": ["frontend-engineer-intermediate"]}


def test_a_missing_requirements_heading_is_inferred_with_a_warning():
    page = (
        "## Senior Writer\n\nThe Senior Writer is a grade 7.\n\n### Senior Writer Responsibilities"
        "\n\n- Write\n\n### Senior Writer\n\n- Five years of writing\n"
    )
    result = import_text(page, "w.md")
    writer = result.data["levels"][0]
    assert writer["requirements"] == ["Five years of writing"]
    assert (
        ImportWarning(
            "w.md",
            9,
            "heading 'Senior Writer' names no section; read as requirements (the next one missing)",
        )
        in result.warnings
    )


def test_an_inheritance_sentence_naming_an_unknown_level_is_an_item_and_a_warning():
    page = (
        "## Staff Writer\n\nGrade 9\n\n### Responsibilities\n\n- Extends the Principal Editor "
        "responsibilities\n- Edit\n"
    )
    result = import_text(page, "w.md")
    staff = result.data["levels"][0]
    assert "extends" not in staff
    assert staff["responsibilities"] == ["Extends the Principal Editor responsibilities", "Edit"]
    assert (
        7,
        (
            "'Principal Editor' names no level of this page; 'Extends the Principal Editor "
            "responsibilities' kept as an item"
        ),
    ) in [(w.line, w.message) for w in result.warnings]


@pytest.mark.parametrize(
    "sentence",
    [
        "Extends the previous level's responsibilities",
        "Extends all responsibilities",
        "Extends the general Writer responsibilities",
        "Extends the Seniour Writer responsibilities",  # misspelled
        "Includes all responsibilities of the Writer and Principal Editor roles",
    ],
)
def test_inheritance_naming_levels_loosely_never_becomes_an_id(sentence):
    page = (
        "## Writer\n\nGrade 6\n\n### Responsibilities\n\n- Write\n\n"
        "## Senior Writer\n\nGrade 7\n\n### Responsibilities\n\n- Write well\n\n"
        f"## Staff Writer\n\nGrade 9\n\n### Responsibilities\n\n- {sentence}\n- Edit\n"
    )
    result = import_text(page, "w.md")
    staff = result.data["levels"][2]
    ids = {lv["id"] for lv in result.data["levels"]}
    for targets in staff.get("extends", {}).values():
        assert set(targets) <= ids
    if "extends" not in staff:
        assert staff["responsibilities"] == [sentence, "Edit"]
        assert any(w.line == 23 and sentence in w.message for w in result.warnings)


def test_two_levels_with_the_same_title_get_distinct_ids():
    page = "## Writer\n\nGrade 6\n\n- Write\n\n## Writer\n\nGrade 7\n\n- Write more\n"
    result = import_text(page, "w.md")
    assert [lv["id"] for lv in result.data["levels"]] == ["writer", "writer-2"]
    assert "id 'writer' is taken; 'Writer' gets 'writer-2'" in [w.message for w in result.warnings]


def test_a_page_with_nothing_recognisable():
    result = import_text("Just some words.\n\n## Random\n\ntext\n", "x.md")
    assert result.data == {
        "id": "x",
        "title": "X",
        "source": {"file": "x.md"},
        "intro": ["Just some words."],
        "levels": [],
    }
    assert [w.message for w in result.warnings] == [
        "no title in front matter or heading; using 'X'",
        "no level found on the page",
        "section 'Random' not understood; not kept",
    ]


def test_a_page_with_an_overview_bare_part_headings_and_links_to_family_sections():
    result = import_path(FIXTURES / "product-manager.md")
    data = result.data
    assert data["intro"] == [
        "Product Managers own the direction of a product area. They talk to users every week "
        "and turn what they learn into a prioritised plan."
    ]
    assert [(lv["id"], lv.get("grade")) for lv in data["levels"]] == [
        ("product-manager-intermediate", 7),
        ("senior-product-manager", 8),
        ("principal-product-manager", 9),
        ("group-manager-product", None),
    ]
    intermediate, senior, principal, _ = data["levels"]
    # "[Product Manager responsibilities](#responsibilities)" is the family's list.
    assert intermediate["extends"] == {
        "responsibilities": ["product-manager"],
        "requirements": ["product-manager"],
    }
    assert "requirements" not in intermediate
    assert senior["extends"] == {"responsibilities": ["product-manager-intermediate"]}
    assert principal["extends"] == {"responsibilities": ["senior-product-manager"]}
    assert principal["description"] == [
        "Principal Product Managers work across stages on the problems no single group can solve."
    ]
    assert data["career_ladder"]["moves"] == [{"text": "Product Marketing"}]
    assert [(w.line, w.message) for w in result.warnings] == [
        (28, "grade '9.5' of 'Group Manager, Product' is not a whole number; not kept")
    ]


@pytest.mark.parametrize(
    "page",
    [
        "backend-engineer.md",
        "support-engineering.md",
        "product-manager.md",
        "product-designer",
    ],
)
def test_imported_fixture_families_validate(page):
    data = import_path(FIXTURES / page).data
    result = build_ladder([(f"{data['id']}.yaml", data)])
    assert [str(p) for p in result.errors] == []


def test_grades_in_titles_and_job_grade_and_reports_to_lines_in_a_list():
    page = (
        "---\ntitle: Security Analyst\n---\n\n## Levels\n\n"
        "### Security Analyst (Grade 6)\n\n- Job Grade: 6\n- Reports to: Security Manager\n"
        "- Triage alerts\n\n"
        "### Senior Security Analyst (Grade 7)\n\nReports to: Security Manager\n\n"
        "- Lead incident response\n\n"
        "### Security Manager\n\n- Job Grade: 8\n- Manage analysts\n"
    )
    result = import_text(page, "s.md")
    levels = result.data["levels"]
    assert [(lv["id"], lv["title"], lv["grade"]) for lv in levels] == [
        ("security-analyst-intermediate", "Security Analyst", 6),
        ("senior-security-analyst", "Senior Security Analyst", 7),
        ("security-manager", "Security Manager", 8),
    ]
    assert [lv.get("reports_to", {}).get("levels") for lv in levels] == [
        ["security-manager"],
        ["security-manager"],
        None,
    ]
    assert [lv["responsibilities"] for lv in levels] == [
        ["Triage alerts"],
        ["Lead incident response"],
        ["Manage analysts"],
    ]
    assert {w.message for w in result.warnings} == {
        f"list directly under level {title!r} read as responsibilities"
        for title in ("Security Analyst", "Senior Security Analyst", "Security Manager")
    }


def test_an_inheritance_sentence_that_says_more_is_kept_whole_as_well():
    page = (
        "## Writer\n\nGrade 6\n\n### Responsibilities\n\n- Write\n\n"
        "## Staff Writer\n\nGrade 9\n\n### Responsibilities\n\n"
        "- Extends the Writer responsibilities with a company-wide scope\n"
        "- Everything in the Writer role (Grade 6) plus\n- Edit\n"
    )
    staff = import_text(page, "w.md").data["levels"][1]
    assert staff["extends"] == {"responsibilities": ["writer"]}
    assert staff["responsibilities"] == [
        "Extends the Writer responsibilities with a company-wide scope",
        "Edit",
    ]
