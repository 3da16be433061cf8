"""The importer on generated and mutated pages: no exception, warnings that point into
the page, data of the documented shape, and ``import(export(data)) == data``."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ladder.handbook import ImportResult, export_mapping, import_text

SEEDS = Path(__file__).resolve().parents[2] / "fixtures" / "seeds"
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "handbook"
PAGES = [p.read_text(encoding="utf-8") for p in sorted(FIXTURES.rglob("*.md"))]
if SEEDS.is_dir():
    PAGES += [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
LINES = sorted({line for page in PAGES for line in page.splitlines()})

TITLES = st.sampled_from(
    [
        "Senior Backend Engineer",
        "Staff",
        "Intermediate",
        "Responsibilities",
        "Requirements",
        "Job Grade",
        "Levels",
        "Specialties",
        "Hiring Process",
        "Career Ladder",
        "Performance Indicators",
        "Market Justification",
        "Principal Engineer Requirements",
        "Manager, Engineering",
        "Vice President of Things",
        "Distinguished",
        "Nice-to-haves",
        "Peer Interview",
        "",
        "Senior Product Designer Job Grade",
        "Director (DIR)",
    ]
)
SENTENCES = st.sampled_from(
    [
        "The Senior Backend Engineer reports to the Manager, Engineering.",
        "The Staff is a grade 8.",
        "Grade 7",
        "Job Grade: 9",
        "7",
        "Extends the Senior Backend Engineer responsibilities",
        "Includes all responsibilities of the Intermediate and Senior roles and expands on that:",
        "Everything in Staff, plus:",
        "Same as Intermediate",
        "In addition to the corresponding level requirements:",
        "Market Justification: rare skills.",
        "This is a 30 minute interview conducted by the hiring manager.",
        "Team members may move to other roles such as Designer or Writer.",
        "[a link](/job-families/x/#performance-indicators) and **bold** text",
        "| Role | Grade |",
        "| --- | --- |",
        "| [Staff](#staff) | Grade 8 |",
        "```",
        "<div>",
        "-->",
        "<!-- ladder-data",
        "---",
        "> quote",
        "\\*",
    ]
)


@st.composite
def markdown_lines(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(["heading", "bullet", "sentence", "text", "blank", "seed"]))
    if kind == "heading":
        return "#" * draw(st.integers(1, 7)) + draw(st.sampled_from([" ", ""])) + draw(TITLES)
    if kind == "bullet":
        indent = " " * draw(st.integers(0, 6))
        marker = draw(st.sampled_from(["- ", "* ", "1. ", "", "+ "]))
        return indent + marker + draw(st.one_of(SENTENCES, TITLES))
    if kind == "sentence":
        return draw(SENTENCES)
    if kind == "text":
        return draw(st.text(max_size=40))
    if kind == "seed":
        return draw(st.sampled_from(LINES))
    return ""


PAGE = st.lists(markdown_lines(), max_size=60).map("\n".join)


def check(result: ImportResult, text: str) -> None:
    """Warnings point into the page; the data has the documented shape and survives an
    export and an import."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").count("\n") + 1
    for warning in result.warnings:
        assert warning.file == "page.md"
        assert 1 <= warning.line <= lines, warning
        assert warning.message and "\n" not in warning.message
    data = result.data
    assert isinstance(data["id"], str) and data["id"]
    assert isinstance(data["title"], str)
    assert isinstance(data["levels"], list)
    ids = [level["id"] for level in data["levels"]]
    assert len(ids) == len(set(ids))
    for level in data["levels"]:
        assert level["track"] in ("individual_contributor", "manager")
        for value in level.values():
            assert value not in ("", [], {}, None)
    json.dumps(data)  # plain data only
    assert import_text(export_mapping(data), "again.md").data == data


robust = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@robust
@given(PAGE)
def test_generated_pages(text: str) -> None:
    check(import_text(text, "page.md"), text)


@robust
@given(st.text(max_size=400))
def test_arbitrary_text(text: str) -> None:
    check(import_text(text, "page.md"), text)


@st.composite
def mutated_page(draw: st.DrawFn) -> str:
    lines = draw(st.sampled_from(PAGES)).split("\n")
    for _ in range(draw(st.integers(1, 8))):
        if not lines:
            lines = [""]
        index = draw(st.integers(0, len(lines) - 1))
        operation = draw(st.sampled_from(["delete", "insert", "truncate", "swap", "depth", "cut"]))
        if operation == "delete":
            del lines[index]
        elif operation == "insert":
            lines.insert(index, draw(markdown_lines()))
        elif operation == "truncate":
            lines[index] = lines[index][: draw(st.integers(0, len(lines[index])))]
        elif operation == "swap":
            other = draw(st.integers(0, len(lines) - 1))
            lines[index], lines[other] = lines[other], lines[index]
        elif operation == "depth":
            lines[index] = lines[index].replace("#", "#" * draw(st.integers(0, 6)), 1)
        else:
            lines = lines[:index]
    return "\n".join(lines)


@robust
@given(mutated_page())
def test_mutated_real_pages(text: str) -> None:
    check(import_text(text, "page.md"), text)


@robust
@given(st.sampled_from(PAGES), st.integers(0, 40_000))
def test_truncated_pages(page: str, size: int) -> None:
    text = page[:size]
    check(import_text(text, "page.md"), text)


def test_pathological_inputs() -> None:
    for text in (
        "#" * 5000,
        "- " * 5000,
        "[" * 3000 + "](" * 3000,
        "*" * 5000 + "a" + "*" * 5000,
        "    - x\n" * 2000,
        ("- a\n" + "  " * 200 + "- deep\n") * 10,
        "| a |\n" * 3000,
        "---\n" + "key: value\n" * 500,
        "\x00\x01\ufeff\U000f0000 odd characters",
        "".join(f"{'#' * (i % 6 + 1)} Level {i}\n\nGrade {i % 20}\n\n" for i in range(300)),
    ):
        result = import_text(text, "page.md")
        check(result, text)


def test_deeply_nested_sections_and_lists() -> None:
    text = "".join(f"{'#' * (i % 6 + 1)} Senior {i}\n- item {i}\n" for i in range(400))
    check(import_text(text, "page.md"), text)
