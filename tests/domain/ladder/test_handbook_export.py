"""Exporting family data as a handbook page, and importing it back unchanged."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from ladder.handbook import (
    Context,
    export_family,
    export_mapping,
    family_mapping,
    import_path,
    import_text,
)
from ladder.handbook.markdown import parse
from ladder.handbook.metadata import METADATA_MARK, diff_ops
from ladder.loader import DATA_DIR, LoadResult
from tests.domain.ladder.ladder_testing import base_family

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "handbook"
FAMILIES = sorted(p.stem for p in DATA_DIR.glob("*.yaml") if p.stem != "competencies")


def overrides_of(page: str) -> list[dict[str, Any]]:
    start = page.find(f"<!-- {METADATA_MARK}")
    if start < 0:
        return []
    body = page[start + len(f"<!-- {METADATA_MARK}") : page.rindex("-->")]
    return list(yaml.safe_load(body)["overrides"])


@pytest.mark.parametrize("family_id", FAMILIES)
def test_the_model_written_back_is_the_data_file(shipped: LoadResult, family_id: str):
    raw = yaml.safe_load((DATA_DIR / f"{family_id}.yaml").read_text(encoding="utf-8"))
    assert family_mapping(shipped.ladder.family(family_id)) == raw


@pytest.mark.parametrize("family_id", FAMILIES)
def test_import_of_export_is_the_family(shipped: LoadResult, family_id: str):
    page = export_family(shipped.ladder, family_id)
    expected = family_mapping(shipped.ladder.family(family_id))
    assert import_text(page, "exported.md").data == expected
    context = Context.from_ladder(shipped.ladder, exclude=family_id)
    assert import_text(page, "exported.md", context=context).data == expected


@pytest.mark.parametrize("family_id", FAMILIES)
def test_the_page_itself_carries_the_content(shipped: LoadResult, family_id: str):
    """Only what a handbook page has no words for goes to the closing data comment."""
    page = export_family(shipped.ladder, family_id)
    allowed_last = {
        "source_line",
        "notes",
        "licence",
        "file",
        "competencies",
        "expectations",
        "levels",
        "family",
        "level",
    }
    for op in overrides_of(page):
        path = op["path"]
        assert path[-1] in allowed_last, path
        if path[-1] == "levels":  # reports-to levels the page words in another way
            assert path[-2] == "reports_to", path
        if path[-1] in ("family", "level"):  # career moves to families of the ladder
            assert path[:2] == ["career_ladder", "moves"], path


def test_the_exported_page_reads_like_a_handbook_page(shipped: LoadResult):
    page = export_family(shipped.ladder, "customer-success-leadership")
    assert page.startswith('---\ntitle: "Customer Success Leadership"\n')
    assert "## Levels\n\n| Role | Grade |\n| --- | --- |\n" in page
    assert "| [Director of Customer Success](#director-of-customer-success) | Grade 10 |" in page
    assert "### Senior Director of Customer Success\n" in page
    assert "The Senior Director of Customer Success reports to the VP of Customer Success." in page
    assert "#### Senior Director of Customer Success Job Grade\n" in page
    assert (
        "- Extends the [Director of Customer Success](#director-of-customer-success) "
        "responsibilities" in page
    )
    # A level of another family is linked to its family's page, by its id.
    assert (
        "- Extends the [Senior Manager, CSM](/job-families/customer-success-management/"
        "#senior-manager-csm) responsibilities" in page
    )
    assert "  - Recruit and develop a high performing team" in page
    assert "## Hiring Process" in page and "### Peer Interview" in page
    # The data comment closes the page and renders as nothing.
    assert page.rstrip().endswith("-->")
    doc = parse(page)
    assert doc.front_matter == {
        "title": "Customer Success Leadership",
        "description": "The Customer Success Leadership roles are Director and above roles in "
        "the customer success organization.",
    }


def test_export_of_the_management_family_keeps_cross_family_and_table_facts(shipped):
    page = export_family(shipped.ladder, "customer-success-management")
    assert (
        "- Extends the [Customer Success Management](/job-families/customer-success-"
        "management/#performance-indicators) performance indicators" in page
    )
    assert "Market Justification: The business need for an individual contributor Staff CSM" in page
    paths = [op["path"] for op in overrides_of(page)]
    assert ["expectations"] in paths and ["competencies"] in paths


def test_export_family_of_an_unknown_id_is_a_key_error(shipped: LoadResult):
    with pytest.raises(KeyError):
        export_family(shipped.ladder, "no-such-family")


@pytest.mark.parametrize(
    "page",
    ["backend-engineer.md", "support-engineering.md", "product-manager.md", "product-designer"],
)
def test_imported_fixture_pages_round_trip_with_few_overrides(page: str):
    data = import_path(FIXTURES / page).data
    exported = export_mapping(data)
    assert import_text(exported, "again.md").data == data
    assert {op["path"][-1] for op in overrides_of(exported)} <= {
        "source_line",
        "file",
        "source",
        "text",
    }


def test_the_test_family_of_the_loader_round_trips():
    family = base_family()
    assert import_text(export_mapping(family)).data == family


def test_text_with_markdown_characters_round_trips():
    family = {
        "id": "odd",
        "title": "Odd *Family* [x]",
        "description": 'Quotes " and \\ backslash',
        "intro": [
            "# not a heading",
            "- not a bullet",
            "1. not a list",
            "a <b>tag</b> & more",
            "`code` and **stars** and [link](url) and snake_case",
        ],
        "responsibilities": ["Extends nothing at all", "| pipes |", "trailing \\"],
        "levels": [
            {
                "id": "odd-one",
                "title": "Odd One (Intermediate)",
                "grade": 6,
                "track": "individual_contributor",
                "description": ["The Odd One is a grade 7 sentence kept as a description."],
                "responsibilities": [{"text": "Parent:", "items": ["child *a*", "child _b_"]}],
            }
        ],
        "hiring_process": {"stages": [{"id": "talk", "name": "Talk", "text": ["We talk."]}]},
        "notes": ["Has --> inside", "and\nnew lines"],
    }
    page = export_mapping(family)
    assert import_text(page, "odd.md").data == family


def test_a_broken_data_comment_is_a_warning_and_the_page_still_imports(shipped):
    page = export_family(shipped.ladder, "customer-success-architect")
    broken = page.replace("overrides:", "overrides: [", 1)
    result = import_text(broken, "broken.md")
    assert result.data["id"] == "customer-success-architect"
    assert any("ladder-data comment is not valid YAML" in w.message for w in result.warnings)
    misfit = page.replace("- path: [", "- path: [nowhere, 99, ", 1)
    result = import_text(misfit, "misfit.md")
    assert any("does not fit the page; ignored" in w.message for w in result.warnings)


def test_diff_ops_give_the_smallest_changes():
    source = {"a": 1, "b": {"c": [1, 2], "d": "x"}, "levels": [{"id": "x", "n": 1}], "gone": 1}
    target = copy.deepcopy(source)
    target["b"]["d"] = "y"
    target["levels"][0]["n"] = 2
    del target["gone"]
    target["new"] = [1]
    assert diff_ops(source, target) == [
        {"path": ["b", "d"], "value": "y"},
        {"path": ["levels", 0, "n"], "value": 2},
        {"path": ["new"], "value": [1]},
        {"path": ["gone"], "delete": True},
    ]


def test_other_lists_are_written_under_their_headings_and_read_back():
    family = base_family()
    family["other_lists"] = [{"title": "Working here", "items": ["Remote", "Async"]}]
    family["levels"][1]["other_lists"] = [
        {"title": "Projects you might work on", "items": ["The style guide"]},
        {"title": "Nice-to-haves", "items": [{"text": "Languages:", "items": ["Latin"]}]},
    ]
    family["specialties"][0]["other_lists"] = [{"title": "Clearances", "items": ["Secret"]}]
    page = export_mapping(family)
    assert "## Working here\n\n- Remote\n- Async\n" in page
    assert "#### Projects you might work on\n\n- The style guide\n" in page
    assert "#### Nice-to-haves\n\n- Languages:\n  - Latin\n" in page
    # The page carries the lists itself: none is in the closing data comment.
    assert not [op for op in overrides_of(page) if "other_lists" in op["path"]]
    assert import_text(page).data == family


@pytest.mark.parametrize("page", sorted(p.name for p in FIXTURES.iterdir()))
def test_export_of_an_import_keeps_every_placed_item(page: str):
    result = import_path(FIXTURES / page)
    exported = export_mapping(result.data)
    again = import_text(exported, "again.md")
    assert again.data == result.data
    # Every item the import kept is on the exported page, as an item of the same list.
    placed = {
        (p.where, p.target, p.kind, p.text) for p in result.report.placements if p.how == "item"
    }
    kept = {(p.where, p.target, p.kind, p.text) for p in again.report.placements}
    assert placed <= kept
