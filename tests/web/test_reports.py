"""The hiring reports' numbers on a small hand-built history (tests/web/report_data.py),
worked out by hand here; run on SQLite and on PostgreSQL (TEST_DATABASE_URL) alike."""

from __future__ import annotations

import csv
import io

import pytest

from app.reports import queries
from app.reports.filters import ReportFilters
from app.services import reminders
from tests.conftest import login_as
from tests.web import report_data as data
from tests.web.report_data import OPEN_NOW, OVERDUE_NOW, PERIOD

YEAR = ReportFilters(start=data.T0.date().replace(day=1), end=data.T0.date().replace(month=12, day=31))


@pytest.fixture
def history(app, users, make_user):
    more = data.more_users(make_user)
    with app.app_context():
        return data.build(users, more)


def context(user_id, filters=YEAR):
    found = queries.report_context(data.viewer(user_id), filters)
    assert found is not None
    return found


def by_label(rows):
    return {row.column.label: row for row in rows}


# --- funnel ----------------------------------------------------------------------------


def test_funnel_of_one_requisition_in_plan_order(app, users, history):
    with app.app_context():
        ctx = context(users["recruiter"], ReportFilters(requisition_id=history["r1"], start=YEAR.start, end=YEAR.end))
        f = queries.funnel(ctx)
    assert not ctx.by_kind
    assert [s.column.key for s in f.stages] == list(data.CSM)
    got = [(s.entered, s.passed, s.declined, s.withdrawn) for s in f.stages]
    assert got == [(6, 4, 1, 0), (4, 3, 1, 0), (3, 1, 1, 1), (1, 1, 0, 0), (1, 1, 0, 0), (1, 1, 0, 0), (1, 1, 0, 0)]
    assert (f.applications, f.offers, f.hires, f.declined, f.withdrawn) == (6, 1, 1, 3, 1)
    screen = f.stages[0]
    assert screen.declines == (("experience", 1),)
    assert screen.pass_rate.value == pytest.approx(4 / 6)
    assert screen.pass_rate.n == 6
    # Fewer than five entered: not enough data for a rate.
    assert f.stages[2].pass_rate.value is None
    assert f.declines == (
        ("Recruiter Screening", "experience", 1),
        ("Written Assessment", "assessment", 1),
        ("Hiring Manager Interview", "interviews", 1),
    )


def test_funnel_period_leaves_out_older_applications(app, users, history):
    with app.app_context():
        f = queries.funnel(context(users["admin"], ReportFilters(requisition_id=history["r1"])))
    # A9 (opened 2025-06-01, declined at the screen for "other") counts without a period.
    assert (f.stages[0].entered, f.stages[0].declined) == (7, 2)
    assert dict(f.stages[0].declines) == {"experience": 1, "other": 1}
    assert f.applications == 7


def test_funnel_over_families_groups_by_kind(app, users, history):
    with app.app_context():
        ctx = context(users["admin"])
        f = queries.funnel(ctx)
    assert ctx.by_kind
    rows = {s.column.key: (s.entered, s.passed, s.declined, s.withdrawn) for s in f.stages}
    # R1's six, R2's A7 (declined: skills), R3's A8 (passed to the assessment).
    assert rows["recruiter_screen"] == (8, 5, 2, 0)
    assert rows["written_assessment"] == (5, 3, 1, 0)
    assert rows["hiring_manager"] == (3, 1, 1, 1)
    assert rows["references"] == (1, 1, 0, 0)
    assert f.applications == 8
    assert [s.column.key for s in f.stages][0] == "recruiter_screen"


def test_recruiter_sees_only_their_requisitions(app, users, history):
    with app.app_context():
        mine = queries.funnel(context(users["recruiter"]))
        manager = queries.funnel(context(users["hiring_manager"]))
        other = queries.funnel(context(history["other_recruiter"]))
        assert queries.report_context(data.viewer(users["recruiter"]), ReportFilters(requisition_id=history["r2"])) is None
    assert mine.stages[0].entered == 6 and mine.applications == 6
    assert manager.applications == 6
    # R2 (A7) and R3 (A8).
    assert other.applications == 2


# --- time in stage -----------------------------------------------------------------------


def test_time_in_stage_and_time_to_hire(app, users, history):
    with app.app_context():
        stages, to_hire = queries.time_in_stage(
            context(users["admin"], ReportFilters(requisition_id=history["r1"], start=YEAR.start, end=YEAR.end))
        )
    rows = {s.column.key: s for s in stages}
    screen = rows[data.SCREEN]
    # Finished spans 2 (A1), 4 (A2), 1 (A3), 2 (A4), 6 (A6); A5 still there.
    assert screen.durations.n == 5
    assert screen.durations.mean == pytest.approx(3.0)
    assert screen.durations.median == pytest.approx(2.0)
    assert screen.durations.p90 == pytest.approx(6.0)
    assert screen.ongoing == 1
    assert screen.column.planned_days == 5.0 and screen.over_plan is False
    # 3 (A1), 2 (A2), 1 (A4), 4 (A6): the median of an even count is the mean of the middle two.
    assessment = rows[data.ASSESSMENT].durations
    assert (assessment.n, assessment.mean, assessment.median, assessment.p90) == (
        4,
        pytest.approx(2.5),
        pytest.approx(2.5),
        pytest.approx(4.0),
    )
    hm = rows[data.HM].durations
    assert (hm.n, hm.mean, hm.median, hm.p90) == (3, pytest.approx(10 / 3), pytest.approx(4.0), pytest.approx(5.0))
    assert rows[data.REFS].durations.median == pytest.approx(5.0)
    assert rows[data.PEER].durations.n == 1
    assert (to_hire.n, to_hire.median, to_hire.mean, to_hire.p90) == (
        1,
        pytest.approx(22.0),
        pytest.approx(22.0),
        pytest.approx(22.0),
    )


# --- sources ---------------------------------------------------------------------------


def test_sources(app, users, history):
    with app.app_context():
        mine = queries.sources(context(users["recruiter"]))
        everyone = queries.sources(context(users["admin"]))
    got = {r.source: (r.applications, r.interviewed, r.offers, r.hires) for r in mine}
    assert got == {
        "careers_site": (2, 2, 1, 1),
        "referral": (1, 0, 0, 0),
        "sourced": (2, 1, 0, 0),
        "agency": (1, 0, 0, 0),
        "other": (0, 0, 0, 0),
    }
    got = {r.source: (r.applications, r.interviewed, r.offers, r.hires) for r in everyone}
    assert got["careers_site"] == (3, 2, 1, 1)
    assert got["sourced"] == (3, 1, 0, 0)
    assert mine[0].hire_rate.value is None  # 2 applications: not enough data


# --- open requisitions -------------------------------------------------------------------


def test_open_requisitions_by_age(app, users, history):
    with app.app_context():
        buckets, oldest = queries.open_requisitions(context(users["admin"], ReportFilters()), OPEN_NOW)
        in_period, _ = queries.open_requisitions(context(users["admin"]), OPEN_NOW)
        mine, _ = queries.open_requisitions(context(users["recruiter"], ReportFilters()), OPEN_NOW)
    # R3 9.5 days, R1 59.5, R2 90.5; R4 is filled.
    assert [b.count for b in buckets] == [1, 1, 0, 1]
    assert [(r.id, round(r.days_open, 2), r.active_applications) for r in oldest] == [
        (history["r2"], 90.5, 0),
        (history["r1"], 59.5, 1),
        (history["r3"], 9.5, 1),
    ]
    assert [b.count for b in in_period] == [1, 1, 0, 0]
    assert [b.count for b in mine] == [0, 1, 0, 0]


# --- overdue scorecards ------------------------------------------------------------------


def test_overdue_scorecards_by_interviewer(app, users, history):
    with app.app_context():
        rows = queries.overdue_scorecards(context(users["admin"], ReportFilters()), OVERDUE_NOW)
        same_rule = reminders.overdue_scorecards(OVERDUE_NOW)
        theirs = queries.overdue_scorecards(context(history["other_manager"], ReportFilters()), OVERDUE_NOW)
    # Yara: I1 (due Thu 11:00, 4 days 1 hour ago) and I2 (due Monday 11:00: its day after is
    # a Saturday). Zeno: I2; not I3 (Saturday's interview is due Monday 14:00), not the
    # cancelled I5. Nobody's for A6, declined.
    assert [(r.user_id, r.overdue) for r in rows] == [(history["y"], 2), (history["z"], 1)]
    assert rows[0].oldest_days == pytest.approx(4 + 1 / 24)
    assert rows[1].oldest_days == pytest.approx(1 / 24)
    # The reminders' own rule finds the same three.
    assert sorted(i.interviewer.id for i in same_rule) == sorted(
        [history["y"], history["y"], history["z"]]
    )
    assert theirs == []
