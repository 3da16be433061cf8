"""Property tests of the handbook importer on randomly assembled job-family pages: every
text of the output is drawn from the page (nothing invented), every list item of the page
is accounted for by the coverage report, and the import never raises."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ladder.handbook import import_text
from tests.domain.ladder.handbook_corpus import found_in, output_strings, strip_markdown

WORDS = [
    "Lead",
    "build",
    "the",
    "team",
    "Senior",
    "Staff",
    "Writer",
    "Manager",
    "reports",
    "to",
    "grade",
    "7",
    "Extends",
    "responsibilities",
    "plus",
    "all",
    "previous",
    "general",
    "of",
    "and",
    "Sr.",
    "interview",
    "with",
    "a",
    "30",
    "minute",
    "screening",
    "call",
    "recruiter",
]
TITLES = ["Writer", "Senior Writer", "Staff Writer", "Manager, Writers", "Sr. Manager, Writers"]
HEADINGS = [
    "Responsibilities",
    "Requirements",
    "Performance Indicators",
    "Job Grade",
    "Nice-to-haves",
    "Projects you might work on",
    "Additional skills",
    "Levels",
    "Specialties",
    "Career Ladder",
    "Hiring Process",
    "A word about us",
    "Responsibilties",
]


def _phrase(draw: st.DrawFn) -> str:
    words = draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=8))
    text = " ".join(words)
    style = draw(st.integers(0, 5))
    if style == 1:
        text = f"**{text}**"
    elif style == 2:
        text = f"[{text}](/job-families/x/#{words[0].lower()})"
    elif style == 3:
        text = f"The {draw(st.sampled_from(TITLES))} is a grade {draw(st.integers(4, 12))}."
    elif style == 4:
        text = f"Extends the {draw(st.sampled_from(TITLES))} {draw(st.sampled_from(WORDS))}"
    elif style == 5:
        text = f"The {draw(st.sampled_from(TITLES))} reports to the {draw(st.sampled_from(TITLES))}"
    return text


@st.composite
def pages(draw: st.DrawFn) -> str:
    lines = ["---", f"title: {draw(st.sampled_from(TITLES))}", "---", ""]
    for _ in range(draw(st.integers(1, 12))):
        block = draw(st.integers(0, 3))
        if block == 0:
            depth = draw(st.integers(2, 5))
            title = draw(st.one_of(st.sampled_from(HEADINGS), st.sampled_from(TITLES)))
            lines += ["#" * depth + " " + title, ""]
        elif block == 1:
            lines += [_phrase(draw), ""]
        else:
            marker = draw(st.sampled_from(["-", "*", "1."]))
            for _ in range(draw(st.integers(1, 4))):
                lines.append(f"{marker} {_phrase(draw)}")
                if draw(st.integers(0, 4)) == 0:
                    lines.append(f"  - {_phrase(draw)}")
                if draw(st.integers(0, 6)) == 0:
                    lines.append(_phrase(draw))  # a line without a marker
            lines.append("")
    return "\n".join(lines) + "\n"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pages())
def test_every_text_of_the_output_is_drawn_from_the_page(page: str) -> None:
    result = import_text(page, "p.md")
    text = strip_markdown(page)
    for path, value in output_strings(result.data):
        assert found_in(value, text) or found_in(value, page), (path, value)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pages())
def test_every_item_of_the_page_is_placed_or_reported(page: str) -> None:
    report = import_text(page, "p.md").report
    placed = {(p.file, p.line) for p in report.placements}
    missing = {(i.file, i.line) for i in report.unplaced_items}
    assert placed.isdisjoint(missing)
    assert placed | missing == {(i.file, i.line) for i in report.items}
    assert report.placed + len(report.unplaced_items) == report.total


def _levels(data: dict[str, Any]) -> set[str]:
    return {lv["id"] for lv in data["levels"]}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pages())
def test_references_name_levels_of_the_page(page: str) -> None:
    """Without other families, every id an inheritance, reports-to or stage names is a
    level of the page (or the family)."""
    data = import_text(page, "p.md").data
    known = _levels(data) | {data["id"]}
    for level in data["levels"]:
        for targets in level.get("extends", {}).values():
            assert set(targets) <= known
        assert set(level.get("reports_to", {}).get("levels", [])) <= known
    for stage in data.get("hiring_process", {}).get("stages", []):
        conductor = stage.get("conducted_by", {}).get("level")
        assert conductor is None or conductor in known
