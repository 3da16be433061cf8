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

YEAR = ReportFilters(
    start=data.T0.date().replace(day=1), end=data.T0.date().replace(month=12, day=31)
)


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
        ctx = context(
            users["recruiter"],
            ReportFilters(requisition_id=history["r1"], start=YEAR.start, end=YEAR.end),
        )
        f = queries.funnel(ctx)
    assert not ctx.by_kind
    assert [s.column.key for s in f.stages] == list(data.CSM)
    got = [(s.entered, s.passed, s.declined, s.withdrawn) for s in f.stages]
    assert got == [
        (6, 4, 1, 0),
        (4, 3, 1, 0),
        (3, 1, 1, 1),
        (1, 1, 0, 0),
        (1, 1, 0, 0),
        (1, 1, 0, 0),
        (1, 1, 0, 0),
    ]
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
    assert f.stages[0].column.key == "recruiter_screen"


def test_recruiter_sees_only_their_requisitions(app, users, history):
    with app.app_context():
        mine = queries.funnel(context(users["recruiter"]))
        manager = queries.funnel(context(users["hiring_manager"]))
        other = queries.funnel(context(history["other_recruiter"]))
        assert (
            queries.report_context(
                data.viewer(users["recruiter"]), ReportFilters(requisition_id=history["r2"])
            )
            is None
        )
    assert mine.stages[0].entered == 6 and mine.applications == 6
    assert manager.applications == 6
    # R2 (A7) and R3 (A8).
    assert other.applications == 2


# --- time in stage -----------------------------------------------------------------------


def test_time_in_stage_and_time_to_hire(app, users, history):
    with app.app_context():
        stages, to_hire = queries.time_in_stage(
            context(
                users["admin"],
                ReportFilters(requisition_id=history["r1"], start=YEAR.start, end=YEAR.end),
            )
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
    assert (hm.n, hm.mean, hm.median, hm.p90) == (
        3,
        pytest.approx(10 / 3),
        pytest.approx(4.0),
        pytest.approx(5.0),
    )
    assert rows[data.REFS].durations.median == pytest.approx(5.0)
    assert rows[data.PEER].durations.n == 1
    assert (to_hire.n, to_hire.median, to_hire.mean, to_hire.p90) == (
        1,
        pytest.approx(22.0),
        pytest.approx(22.0),
        pytest.approx(22.0),
    )


def test_time_in_stage_over_families_by_kind(app, users, history):
    with app.app_context():
        ctx = context(users["admin"])
        stages, to_hire = queries.time_in_stage(ctx)
    assert ctx.by_kind
    rows = {s.column.key: s for s in stages}
    # R1's 2, 4, 1, 2, 6 with A7's 3 (R2) and A8's 1 (R3): 1, 1, 2, 2, 3, 4, 6.
    screen = rows["recruiter_screen"]
    assert (screen.durations.n, screen.ongoing) == (7, 1)
    assert screen.durations.median == pytest.approx(2.0)
    assert screen.durations.mean == pytest.approx(19 / 7)
    assert screen.durations.p90 == pytest.approx(6.0)
    # A8 is still at the written assessment.
    assert (rows["written_assessment"].durations.n, rows["written_assessment"].ongoing) == (4, 1)
    assert to_hire.n == 1


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
        buckets, oldest = queries.open_requisitions(
            context(users["admin"], ReportFilters()), OPEN_NOW
        )
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
        theirs = queries.overdue_scorecards(
            context(history["other_manager"], ReportFilters()), OVERDUE_NOW
        )
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


# --- pages, charts, CSV, API ------------------------------------------------------------

SLUGS = ("funnel", "time-in-stage", "sources", "open-requisitions", "overdue-scorecards")


@pytest.fixture
def fixed_now(monkeypatch):
    import app.reports.api
    import app.reports.pages

    for module in (app.reports.api, app.reports.pages):
        monkeypatch.setattr(module, "utcnow", lambda: OVERDUE_NOW)


def test_funnel_api_numbers(app, client, users, history):
    login_as(app, client, users["recruiter"])
    body = client.get(
        "/api/v1/reports/funnel", query_string={**PERIOD, "requisition_id": history["r1"]}
    ).get_json()
    assert body["grouping"] == "stage"
    assert body["filters"] == {
        "requisition_id": history["r1"],
        "level": None,
        "family": None,
        "from": "2026-01-01",
        "to": "2026-12-31",
    }
    assert (body["applications"], body["offers"], body["hires"]) == (6, 1, 1)
    first = body["stages"][0]
    assert first["key"] == data.SCREEN
    assert (first["entered"], first["passed"], first["declined"]) == (6, 4, 1)
    assert first["pass_rate"]["value"] == pytest.approx(0.6667, abs=1e-4)
    assert first["declines"] == [{"reason": "experience", "count": 1}]


def test_time_and_sources_api_numbers(app, client, users, history):
    login_as(app, client, users["admin"])
    body = client.get(
        "/api/v1/reports/time-in-stage", query_string={**PERIOD, "level": "senior-csm"}
    ).get_json()
    assert body["grouping"] == "stage"
    screen = body["stages"][0]
    # R1's five finished spans and R2's A7 (3 days): 1, 2, 2, 3, 4, 6.
    assert (screen["n"], screen["median_days"], screen["mean_days"], screen["p90_days"]) == (
        6,
        2.5,
        3.0,
        6.0,
    )
    assert body["time_to_hire"] == {
        "n": 1,
        "mean_days": 22.0,
        "median_days": 22.0,
        "p90_days": 22.0,
    }
    body = client.get(
        "/api/v1/reports/sources", query_string={**PERIOD, "family": "customer-success-architect"}
    ).get_json()
    got = {r["source"]: r["applications"] for r in body["sources"]}
    assert got == {"careers_site": 0, "referral": 0, "sourced": 1, "agency": 0, "other": 0}


def test_open_requisitions_and_overdue_api(app, client, users, history, fixed_now):
    login_as(app, client, users["recruiter"])
    body = client.get("/api/v1/reports/overdue-scorecards").get_json()
    assert [(r["name"], r["overdue"]) for r in body["interviewers"]] == [
        ("Yara Interviewer", 2),
        ("Zeno Interviewer", 1),
    ]
    body = client.get("/api/v1/reports/open-requisitions").get_json()
    # At Monday 2026-03-02 12:00, R1 (opened 2026-01-01) is 60.5 days old; R4 is filled.
    assert [b["count"] for b in body["buckets"]] == [0, 0, 1, 0]
    assert [(r["id"], r["days_open"], r["active_applications"]) for r in body["oldest"]] == [
        (history["r1"], 60.5, 1)
    ]


@pytest.mark.parametrize("slug", SLUGS)
def test_pages_charts_and_csv(app, client, users, history, slug, fixed_now):
    login_as(app, client, users["recruiter"])
    page = client.get(f"/reports/{slug}", query_string={"requisition_id": history["r1"]})
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert f'src="/reports/{slug}.svg?requisition_id={history["r1"]}"' in html
    assert 'alt="Bar chart' in html
    assert '<th scope="col">' in html
    assert f"/reports/{slug}.csv?requisition_id={history['r1']}" in html
    chart = client.get(f"/reports/{slug}.svg", query_string={"requisition_id": history["r1"]})
    assert chart.status_code == 200
    assert chart.mimetype == "image/svg+xml"
    assert b"<svg" in chart.data
    assert chart.headers["Cache-Control"] == "no-store" or "no-store" in chart.headers.get(
        "Cache-Control", ""
    )
    table = client.get(f"/reports/{slug}.csv", query_string={"requisition_id": history["r1"]})
    assert table.status_code == 200 and table.mimetype == "text/csv"
    assert f'filename="{slug}.csv"' in table.headers["Content-Disposition"]


def test_funnel_csv_content(app, client, users, history):
    login_as(app, client, users["hiring_manager"])
    response = client.get(
        "/reports/funnel.csv", query_string={**PERIOD, "requisition_id": history["r1"]}
    )
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    header = rows[0]
    assert header[:8] == [
        "Stage",
        "Entered",
        "Passed",
        "Pass-through rate",
        "Pass-through low",
        "Pass-through high",
        "Declined",
        "Withdrew",
    ]
    assert len(rows) == 1 + 7
    screen = dict(zip(header, rows[1], strict=True))
    assert (screen["Stage"], screen["Entered"], screen["Passed"], screen["Declined"]) == (
        "Recruiter Screening",
        "6",
        "4",
        "1",
    )
    assert screen["Pass-through rate"] == "0.6667"
    assert screen["Declined: Not enough relevant experience"] == "1"
    hm = dict(zip(header, rows[3], strict=True))
    assert (hm["Stage"], hm["Withdrew"], hm["Declined: Interview feedback not positive"]) == (
        "Hiring Manager Interview",
        "1",
        "1",
    )


def test_sources_csv_content(app, client, users, history):
    login_as(app, client, users["recruiter"])
    response = client.get("/reports/sources.csv", query_string=PERIOD)
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[1][:5] == ["Careers site", "2", "2", "1", "1"]
    assert rows[1][5] == ""  # not enough data: no rate


def test_empty_state(app, client, users, history):
    login_as(app, client, users["recruiter"])
    html = client.get("/reports/funnel", query_string={"from": "2030-01-01"}).get_data(as_text=True)
    assert "No applications in this period." in html
    assert "funnel.svg" not in html


def test_index_lists_the_reports_with_the_filters(app, client, users):
    login_as(app, client, users["hiring_manager"])
    html = client.get("/reports/", query_string={"family": "customer-success-management"}).get_data(
        as_text=True
    )
    for slug in SLUGS:
        assert f"/reports/{slug}?family=customer-success-management" in html
    assert 'href="/reports/"' in html  # the navigation entry
    # Calibration and quality of hire take the period and family, not a requisition.
    html = client.get("/reports/", query_string={"family": "customer-success-management"}).text
    assert "/reports/calibration?family=customer-success-management" in html
    assert "/reports/quality-of-hire?family=customer-success-management" in html


@pytest.mark.parametrize(
    ("args", "name"),
    [
        ({"from": "2026-13-01"}, "from"),
        ({"to": "yesterday"}, "to"),
        ({"from": "2026-02-01", "to": "2026-01-01"}, "to"),
        ({"level": "no-such-level"}, "level"),
        ({"family": "no-such-family"}, "family"),
        ({"family": "customer-success-architect", "level": "senior-csm"}, "level"),
        ({"requisition_id": "abc"}, "requisition_id"),
        ({"requisition_id": "99999999999"}, "requisition_id"),
        ({"from": "0001-01-01"}, "from"),
    ],
)
def test_bad_filters_are_named(app, client, users, args, name):
    login_as(app, client, users["admin"])
    page = client.get("/reports/funnel", query_string=args)
    assert page.status_code == 400
    assert f"{name}:" in page.get_data(as_text=True)
    assert client.get("/reports/", query_string=args).status_code == 400
    assert client.get("/reports/sources.svg", query_string=args).status_code == 400
    assert client.get("/reports/sources.csv", query_string=args).status_code == 400
    for slug in SLUGS:
        response = client.get(f"/api/v1/reports/{slug}", query_string=args)
        assert response.status_code == 422
        assert list(response.get_json()["error"]["fields"]) == [name]


def test_another_persons_requisition_is_404(app, client, users, history):
    login_as(app, client, users["recruiter"])
    args = {"requisition_id": history["r2"]}
    for slug in SLUGS:
        assert client.get(f"/reports/{slug}", query_string=args).status_code == 404
        assert client.get(f"/reports/{slug}.svg", query_string=args).status_code == 404
        assert client.get(f"/reports/{slug}.csv", query_string=args).status_code == 404
        assert client.get(f"/api/v1/reports/{slug}", query_string=args).status_code == 404
    assert (
        client.get("/api/v1/reports/funnel", query_string={"requisition_id": 999999}).status_code
        == 404
    )


def test_over_plan_follows_the_setting(app, users, history):
    app.config["REPORT_PLANNED_DAYS"] = {"recruiter_screen": 1}
    try:
        with app.app_context():
            stages, _ = queries.time_in_stage(
                context(users["admin"], ReportFilters(requisition_id=history["r1"]))
            )
    finally:
        app.config.pop("REPORT_PLANNED_DAYS")
    assert stages[0].column.planned_days == 1.0
    assert stages[0].over_plan is True


def _more_history(app, history, count):
    """``count`` more applications on R1, each opened, advanced, declined."""
    from datetime import timedelta

    from app.db import db
    from app.models import Requisition
    from pipelines.applications import Action, ApplicationStatus
    from pipelines.sources import ApplicationSource

    with app.app_context():
        r1 = db.session.get(Requisition, history["r1"])
        for n in range(count):
            data._application(
                100 + n,
                r1,
                ApplicationSource.SOURCED,
                [
                    (Action.OPEN, 0, data.SCREEN, ApplicationStatus.ACTIVE, None),
                    (Action.ADVANCE, 1 + n, data.ASSESSMENT, ApplicationStatus.ACTIVE, None),
                    (Action.DECLINE, 2 + n, data.ASSESSMENT, ApplicationStatus.DECLINED, "skills"),
                ],
                opened=data.T0 + timedelta(hours=n),
            )
        db.session.commit()


@pytest.mark.parametrize("slug", SLUGS)
def test_query_count_does_not_grow_with_the_data(
    app, client, users, history, count_queries, slug, fixed_now
):
    login_as(app, client, users["recruiter"])

    def measure():
        with count_queries() as counted:
            assert client.get(f"/api/v1/reports/{slug}").status_code == 200
            assert client.get(f"/reports/{slug}").status_code == 200
        return counted.count

    before = measure()
    _more_history(app, history, 12)
    assert measure() == before


def test_report_settings_come_from_the_environment(tmp_path):
    from app.config import ConfigError, load_config

    environ = {
        "HIRELADDER_ENV": "testing",
        "SECRET_KEY": "x",
        "HIRELADDER_REPORT_PLANNED_DAYS": "recruiter_screen=3, references=14",
        "HIRELADDER_QUALITY_OF_HIRE_MONTHS": "18",
    }
    config = load_config(tmp_path, environ=environ)
    assert config["REPORT_PLANNED_DAYS"] == {"recruiter_screen": 3.0, "references": 14.0}
    assert config["QUALITY_OF_HIRE_MONTHS"] == 18
    for bad in ("screen=3", "references=0", "references=many"):
        environ["HIRELADDER_REPORT_PLANNED_DAYS"] = bad
        with pytest.raises(ConfigError, match="HIRELADDER_REPORT_PLANNED_DAYS"):
            load_config(tmp_path, environ=environ)
