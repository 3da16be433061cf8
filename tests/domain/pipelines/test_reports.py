"""The shaping of the hiring reports (pipelines.reports), with answers worked out by hand."""

from __future__ import annotations

import statistics

import pytest

from pipelines.applications import Action
from pipelines.plan import PipelinePlan, StageKind
from pipelines.reports import (
    AgeBucket,
    Durations,
    MoveCount,
    SourceCounts,
    StageColumn,
    age_buckets,
    bucket_of,
    by_kind,
    funnel,
    median_positions,
    p90_position,
    reason_label,
    sources,
    stage_columns,
    stage_times,
)


def test_one_family_lists_its_stages_in_plan_order(csm_plan: PipelinePlan) -> None:
    columns = stage_columns([csm_plan])
    assert [c.key for c in columns] == list(csm_plan.stage_ids)
    assert columns[0].label == "Recruiter Screening"
    assert columns[0].kind is StageKind.RECRUITER_SCREEN
    assert columns[0].planned_days == 5.0
    assert columns[-1].planned_days == 10.0
    assert not by_kind([csm_plan])


def test_several_families_list_kinds_in_a_fixed_order(
    csm_plan: PipelinePlan, csa_plan: PipelinePlan
) -> None:
    columns = stage_columns([csa_plan, csm_plan], {StageKind.PEER: 3.0})
    keys = [c.key for c in columns]
    assert keys[0] == "recruiter_screen" and keys[-1] == "references"
    # The architects have no executive interview; the CSMs do, so the kind is listed.
    assert "executive" in keys
    assert {c.key: c.planned_days for c in columns}["peer"] == 3.0
    assert by_kind([csa_plan, csm_plan]) and by_kind([])


def column(key: str) -> StageColumn:
    return StageColumn(key, key.title(), None, None)


def test_funnel_counts_entries_passes_declines_and_withdrawals() -> None:
    columns = [column("screen"), column("interview"), column("refs")]
    moves = [
        MoveCount(Action.OPEN, None, "screen", None, 10),
        MoveCount(Action.ADVANCE, "screen", "interview", None, 6),
        MoveCount(Action.DECLINE, "screen", "screen", "experience", 3),
        MoveCount(Action.DECLINE, "screen", "screen", "skills", 1),
        MoveCount(Action.MOVE_TO_REFERENCES, "interview", "refs", None, 2),
        MoveCount(Action.WITHDRAW, "interview", "interview", None, 1),
        MoveCount(Action.MAKE_OFFER, "refs", "refs", None, 2),
        MoveCount(Action.HIRE, "refs", "refs", None, 1),
        MoveCount(Action.WITHDRAW, "refs", "refs", None, 1),
    ]
    f = funnel(columns, moves)
    got = [(s.column.key, s.entered, s.passed, s.declined, s.withdrawn) for s in f.stages]
    assert got == [
        ("screen", 10, 6, 4, 0),
        ("interview", 6, 2, 0, 1),
        ("refs", 2, 2, 0, 1),
    ]
    assert (f.applications, f.offers, f.hires, f.declined, f.withdrawn) == (10, 2, 1, 4, 2)
    assert f.stages[0].declines == (("experience", 3), ("skills", 1))
    assert f.stages[0].pass_rate.value == pytest.approx(0.6)
    assert f.stages[2].pass_rate.value is None  # two entered: not enough data
    assert f.declines == (("Screen", "experience", 3), ("Screen", "skills", 1))


def test_a_stage_the_plan_lacks_comes_last_under_its_id() -> None:
    f = funnel([column("screen")], [MoveCount(Action.OPEN, None, "gone-stage", None, 2)])
    assert [(s.column.key, s.column.label, s.entered) for s in f.stages] == [
        ("screen", "Screen", 0),
        ("gone-stage", "gone-stage", 2),
    ]
    assert not f.empty
    assert funnel([column("screen")], []).empty


@pytest.mark.parametrize(
    "values", [[4.0], [1.0, 9.0], [3, 1, 2], [5, 1, 4, 2, 3, 8, 7, 6], list(range(1, 12))]
)
def test_sql_positions_give_the_median_and_nearest_rank_p90(values: list[float]) -> None:
    ordered = sorted(values)
    n = len(ordered)
    low, high = median_positions(n)
    assert (ordered[low - 1] + ordered[high - 1]) / 2 == statistics.median(values)
    # Nearest rank: the smallest value with at least 90% of the values at or below it.
    p90 = ordered[p90_position(n) - 1]
    assert sum(v <= p90 for v in values) >= 0.9 * n
    assert sum(v < p90 for v in values) < 0.9 * n


def test_p90_positions_by_hand() -> None:
    assert [p90_position(n) for n in (1, 4, 5, 10, 11, 20)] == [1, 4, 5, 9, 10, 18]


def test_stage_times_against_the_plan() -> None:
    columns = [StageColumn("a", "A", StageKind.PEER, 7.0), StageColumn("b", "B", None, None)]
    rows = stage_times(columns, {"a": Durations(3, 8.0, 7.5, 12.0)}, {"a": 2, "c": 1})
    assert [(r.column.key, r.durations.n, r.ongoing, r.over_plan) for r in rows] == [
        ("a", 3, 2, True),
        ("b", 0, 0, None),
        ("c", 0, 1, None),
    ]


def test_sources_in_a_fixed_order_with_rates() -> None:
    rows = sources(
        [SourceCounts("referral", 10, 6, 3, 2), SourceCounts("careers_site", 4, 1, 1, 1)]
    )
    assert [r.source for r in rows] == ["careers_site", "referral", "sourced", "agency", "other"]
    referral = rows[1]
    assert referral.label == "Referral"
    assert referral.hire_rate.value == pytest.approx(0.2)
    assert referral.interview_rate.value == pytest.approx(0.6)
    assert rows[0].hire_rate.value is None
    assert rows[2].applications == 0


def test_age_buckets() -> None:
    buckets = age_buckets({1: 2, 3: 1})
    assert buckets == (
        AgeBucket(0, 0, 30, 0),
        AgeBucket(1, 30, 60, 2),
        AgeBucket(2, 60, 90, 0),
        AgeBucket(3, 90, None, 1),
    )
    assert [b.label for b in buckets] == [
        "0 to 29 days",
        "30 to 59 days",
        "60 to 89 days",
        "90 days or more",
    ]
    assert [bucket_of(d) for d in (0, 29.9, 30, 89.99, 90, 400)] == [0, 0, 1, 2, 3, 3]
    with pytest.raises(ValueError):
        age_buckets({}, (30, 10))


def test_reason_labels() -> None:
    assert reason_label("experience") == "Not enough relevant experience"
    assert reason_label("something else") == "something else"
