"""The handbook corpus (``tests/fixtures/handbook``): job-family pages of many departments,
each imported and compared with its hand-checked ``<name>.expected.yaml`` (levels in
order, grades, reports-to, the number of items of each list of each level, the family,
the specialties, the hiring steps), plus the corpus-wide figure: items placed on the right
level as the right kind, over all items."""

from __future__ import annotations

from functools import cache

import pytest

from ladder.handbook import export_mapping, import_path, import_text
from ladder.handbook.importer import ImportResult
from tests.domain.ladder.handbook_corpus import (
    CORPUS,
    Page,
    compare,
    corpus_pages,
    found_in,
    output_strings,
    stripped_text,
)

PAGES = corpus_pages()
NAMES = [page.name for page in PAGES]
# Keys whose values are link targets of the page, not its text.
LINK_KEYS = frozenset({"defined_elsewhere", "url"})


@cache
def imported(name: str) -> ImportResult:
    page = next(p for p in PAGES if p.name == name)
    return import_path(page.path)


def page_of(name: str) -> Page:
    return next(p for p in PAGES if p.name == name)


def test_every_page_of_the_corpus_has_its_source_and_licence():
    sources = (CORPUS / "SOURCES.md").read_text(encoding="utf-8")
    assert "CC BY-SA 4.0" in sources
    rows = {
        line.split("|")[1].strip()
        for line in sources.splitlines()
        if line.startswith("| ") and line.count("|") == 5
    } - {"fixture path", "---"}
    pages = {
        str(path.relative_to(CORPUS)) for path in CORPUS.rglob("*.md") if path.parent != CORPUS
    }
    assert rows == pages
    for line in sources.splitlines():
        if (
            line.startswith("| ")
            and line.count("|") == 5
            and "fixture path" not in line
            and "---" not in line
        ):
            commit = line.split("|")[4].strip()
            assert len(commit) == 40 and all(c in "0123456789abcdef" for c in commit), line


def test_the_corpus_is_there():
    assert len(PAGES) >= 30
    departments = {name.split("/")[0] for name in NAMES}
    assert {"engineering", "sales", "finance", "alliances"} <= departments


@pytest.mark.parametrize("name", NAMES)
def test_the_import_matches_the_expectation(name: str):
    comparison = compare(page_of(name), imported(name))
    assert comparison.differences == []


@pytest.mark.parametrize("name", NAMES)
def test_every_level_has_the_right_grade(name: str):
    expected = [(lv["title"], lv.get("grade")) for lv in page_of(name).expected["levels"]]
    got = [(lv["title"], lv.get("grade")) for lv in imported(name).data["levels"]]
    assert got == expected


def test_the_corpus_wide_accuracy():
    """Items on the right level as the right kind: the sum over pages, levels and kinds of
    min(expected, placed), over all expected items."""
    right = expected = 0
    for name in NAMES:
        comparison = compare(page_of(name), imported(name))
        right += comparison.right
        expected += comparison.expected
    assert expected > 3000
    assert right / expected >= 0.98, (right, expected)


@pytest.mark.parametrize("name", NAMES)
def test_nothing_is_invented(name: str):
    page = page_of(name)
    text = stripped_text(page.path)
    raw = "\n".join(f.read_text(encoding="utf-8") for f in page.files())
    invented = [
        (path, value)
        for path, value in output_strings(imported(name).data)
        if not (found_in(value, raw) if path[-1] in LINK_KEYS else found_in(value, text))
    ]
    assert invented == []


@pytest.mark.parametrize("name", NAMES)
def test_the_coverage_report_accounts_for_every_list_item(name: str):
    page = page_of(name)
    report = imported(name).report
    assert report.placed + len(report.unplaced_items) == report.total
    # Every line of the page that starts with a list marker at the margin (outside front
    # matter and code fences) starts an item the report knows.
    items = {(i.file, i.line) for i in report.items}
    for file in page.files():
        for line in _marker_lines(file.read_text(encoding="utf-8")):
            assert (str(file), line) in items, (file.name, line)


def _marker_lines(text: str) -> list[int]:
    lines = text.split("\n")
    start = 0
    if lines and lines[0].strip() == "---":
        start = next(i for i in range(1, len(lines)) if lines[i].strip() == "---") + 1
    found: list[int] = []
    fenced = False
    for number, line in enumerate(lines[start:], start + 1):
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
            continue
        if fenced:
            continue
        head = line.split(" ", 1)[0]
        marker = head in ("-", "*", "+") or (head[:-1].isdigit() and head[-1:] in ".)")
        if marker and len(line) > len(head) + 1 and line[len(head) + 1 :].strip():
            found.append(number)
    return found


@pytest.mark.parametrize("name", NAMES)
def test_export_of_the_import_keeps_every_placed_item(name: str):
    result = imported(name)
    page = export_mapping(result.data)
    again = import_text(page, "again.md")
    assert again.data == result.data
    # The page itself carries them (not the closing data comment): the same text in the
    # same list of the same level or specialty.
    placed = {
        (p.where, p.title, p.kind, p.text) for p in result.report.placements if p.how == "item"
    }
    kept = {(p.where, p.title, p.kind, p.text) for p in again.report.placements}
    assert placed <= kept


@pytest.mark.parametrize("name", NAMES)
def test_the_import_does_not_raise_and_reads_a_title(name: str):
    data = imported(name).data
    assert data["title"] and data["levels"]
