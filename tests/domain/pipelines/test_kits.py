"""Interview kits: questions from text, fitting and merging a copied kit, notes per
criterion, and the summary matrix."""

from __future__ import annotations

import pytest

from pipelines.kits import (
    LEGEND,
    MAX_CRITERION_NOTE,
    MAX_QUESTION_LENGTH,
    MAX_QUESTIONS,
    NOT_ASKED,
    SummaryColumn,
    clean_notes,
    fit_kit,
    kit_from_stored,
    kit_to_stored,
    look_of,
    merge_kit,
    note_problems,
    parse_questions,
    question_count,
    questions_problem,
    questions_text,
    summary_matrix,
)
from pipelines.scorecards import NOT_ASSESSED, Criterion, CriterionSource, Rating, Scope


def criterion(cid: str, text: str = "") -> Criterion:
    return Criterion(cid, CriterionSource.REQUIREMENT, Scope.LEVEL, text or cid)


@pytest.mark.parametrize(
    ("text", "questions"),
    [
        ("", ()),
        (None, ()),
        ("How?\n\n  \nWhy?", ("How?", "Why?")),
        ("- Tell me about a renewal\n* And a churn\n1. One\n2) Two", None),
        ("  Walk   me through\tit  ", ("Walk me through it",)),
        ("Why?\nwhy?\nWHY?", ("Why?",)),
        ("\u2022 A bullet\r\n\u2013 A dash", ("A bullet", "A dash")),
    ],
)
def test_questions_are_one_per_line_cleaned(text, questions):
    parsed = parse_questions(text)
    if questions is None:
        assert parsed == ("Tell me about a renewal", "And a churn", "One", "Two")
    else:
        assert parsed == questions


def test_a_number_that_is_part_of_the_question_stays():
    assert parse_questions("3 customers churned: why?") == ("3 customers churned: why?",)


def test_questions_text_round_trips():
    questions = ("One?", "Two?")
    assert parse_questions(questions_text(questions)) == questions


def test_too_many_or_too_long_questions_are_a_problem():
    assert questions_problem(("q",) * MAX_QUESTIONS) is None
    assert "At most" in (questions_problem(("q",) * (MAX_QUESTIONS + 1)) or "")
    long = "x" * (MAX_QUESTION_LENGTH + 1)
    problem = questions_problem(("fine", long))
    assert problem is not None and problem.startswith("Question 2 has")


STAGES = {"peer": ["a", "b"], "panel": ["b", "c"]}


def test_fit_keeps_only_the_stages_and_criteria_that_exist_in_their_order():
    kit = {
        "peer": {"b": ("B?",), "a": ("A?",), "gone": ("G?",)},
        "screen": {"a": ("not an interview",)},
        "panel": {"c": ()},
    }
    fitted = fit_kit(kit, STAGES)
    assert fitted == {"peer": {"a": ("A?",), "b": ("B?",)}}
    assert list(fitted["peer"]) == ["a", "b"]


def test_merge_takes_the_copy_where_it_has_questions_and_keeps_the_rest():
    current = {"peer": {"a": ("mine?",), "b": ("mine too?",)}}
    copied = {"peer": {"b": ("theirs?",), "x": ("not rated here?",)}, "panel": {"c": ("C?",)}}
    merged = merge_kit(current, copied, STAGES)
    assert merged.kit == {
        "peer": {"a": ("mine?",), "b": ("theirs?",)},
        "panel": {"c": ("C?",)},
    }
    assert merged.copied == 2
    assert merged.left_behind == 1


def test_stored_kits_are_read_defensively():
    assert kit_from_stored(None) == {}
    assert kit_from_stored({"peer": "nope", 3: {}}) == {}
    stored = {"peer": {"a": ["A?", "", 4], "b": []}}
    assert kit_from_stored(stored) == {"peer": {"a": ("A?",)}}
    kit = {"peer": {"a": ("A?", "B?")}, "panel": {"c": ()}}
    assert kit_to_stored(kit) == {"peer": {"a": ["A?", "B?"]}}
    assert kit_from_stored(kit_to_stored(kit)) == {"peer": {"a": ("A?", "B?")}}
    assert question_count(kit) == 2


def test_notes_keep_known_criteria_trimmed():
    notes = {"a": "  Strong example. ", "b": "   ", "zzz": "unknown", "c": 5}
    assert clean_notes(notes, ["a", "b", "c"]) == {"a": "Strong example."}


def test_a_note_too_long_is_named_by_its_criterion():
    criteria = [criterion("a"), criterion("b")]
    notes = {"a": "x" * MAX_CRITERION_NOTE, "b": "y" * (MAX_CRITERION_NOTE + 1)}
    problems = note_problems(notes, criteria)
    assert list(problems) == ["b"]
    assert "2,000" in problems["b"]


def test_every_mark_has_a_symbol_and_words_not_only_a_colour():
    for value in (*Rating, NOT_ASSESSED):
        look = look_of(value.value)
        assert look.symbol and look.words and look.style
    assert [look.words for look in LEGEND] == [
        "strong yes",
        "yes",
        "no",
        "strong no",
        "not assessed",
    ]
    assert look_of(None) is NOT_ASKED
    assert look_of("bogus") is NOT_ASKED


def test_summary_is_every_criterion_once_against_every_interviewer():
    a, b, c = criterion("a"), criterion("b"), criterion("c")
    stages = [("peer", [a, b]), ("panel", [b, c])]
    columns = [
        SummaryColumn(1, "peer", {"a": Rating.YES, "b": NOT_ASSESSED}, Rating.YES, {"a": "ok"}),
        SummaryColumn(2, "panel", {"b": Rating.STRONG_NO, "c": Rating.NO}, Rating.NO),
    ]
    summary = summary_matrix(stages, columns)
    assert [row.criterion.id for row in summary.rows] == ["a", "b", "c"]
    words = [[cell.look.words for cell in row.cells] for row in summary.rows]
    assert words == [
        ["yes", "not on this interview"],
        ["not assessed", "strong no"],
        ["not on this interview", "no"],
    ]
    assert summary.rows[0].cells[0].noted
    assert [row.split for row in summary.rows] == [False, False, False]
    assert not summary.rows[1].cells[0].noted
    assert [look.words for look in summary.recommendations] == ["yes", "no"]


def test_a_mark_for_a_criterion_not_on_the_stage_is_not_shown_there():
    a = criterion("a")
    column = SummaryColumn(1, "panel", {"a": Rating.YES}, Rating.YES)
    summary = summary_matrix([("peer", [a]), ("panel", [])], [column])
    assert summary.rows[0].cells[0].look is NOT_ASKED


def test_a_criterion_rated_both_ways_is_split():
    a = criterion("a")
    columns = [
        SummaryColumn(1, "peer", {"a": Rating.YES}, Rating.YES),
        SummaryColumn(2, "peer", {"a": Rating.STRONG_NO}, Rating.NO),
    ]
    assert summary_matrix([("peer", [a])], columns).rows[0].split
