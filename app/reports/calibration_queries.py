"""The SQL of interviewer calibration and quality of hire: aggregates only (GROUP BY,
window functions), a fixed number of queries per report, the same numbers on SQLite and
PostgreSQL. What the numbers mean is in :mod:`pipelines.calibration` and
:mod:`pipelines.hire_quality`; these functions count.

Calibration: 6 queries (ratings, recommendations, leniency, lateness, criteria, names).
Quality of hire: 3 queries (leveling steps, recommendations, criteria).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import (
    Float,
    and_,
    case,
    cast,
    func,
    literal,
    null,
    or_,
    select,
    true,
)
from sqlalchemy.sql.elements import ColumnElement

from app.db import db
from app.models import (
    Application,
    HiringDecision,
    Interview,
    InterviewInterviewer,
    LevelSpan,
    Requisition,
    Scorecard,
    ScorecardRating,
    User,
)
from app.reports.queries import days_of, epoch_days, scorecard_due_days
from pipelines.applications import ApplicationStatus, DeclineReason
from pipelines.calibration import (
    SCALE,
    CriterionCounts,
    Filters,
    InterviewerCounts,
    Sums,
)
from pipelines.hire_quality import CriterionSums, OutcomeCounts
from pipelines.level_history import LevelReason
from pipelines.leveling import Outcome

# --- shared pieces -----------------------------------------------------------------------


def _dialect() -> str:
    return db.session.get_bind().dialect.name


def _float(value: Any) -> Any:
    return cast(value, Float)


def _moment(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=UTC)


def interview_filters(filters: Filters, levels: Sequence[str] | None) -> list[ColumnElement[bool]]:
    """Interviews starting in the period (whole days, UTC), of requisitions at the levels
    kept (``Interview`` and ``Requisition`` joined)."""
    out: list[ColumnElement[bool]] = []
    if filters.start is not None:
        out.append(Interview.starts_at >= _moment(filters.start))
    if filters.end is not None:
        out.append(Interview.starts_at < _moment(filters.end + timedelta(days=1)))
    if levels is not None:
        out.append(Requisition.level_id.in_(levels))
    return out


def _outcome_flag() -> ColumnElement[Any]:
    """1 for a hire, 0 for a no-hire, NULL while undecided (``Application`` and
    ``HiringDecision`` joined): the debrief's decision, else a hired application is a hire
    and one declined for its interviews a no-hire."""
    return case(
        (HiringDecision.outcome == Outcome.HIRE.value, 1),
        (HiringDecision.outcome == Outcome.NO_HIRE.value, 0),
        (
            or_(
                Application.hired_user_id.is_not(None),
                Application.status == ApplicationStatus.HIRED.value,
            ),
            1,
        ),
        (
            and_(
                Application.status == ApplicationStatus.DECLINED.value,
                Application.decline_reason == DeclineReason.INTERVIEWS.value,
            ),
            0,
        ),
        else_=null(),
    )


def _submitted_cards(filters: Filters, levels: Sequence[str] | None) -> Any:
    """Submitted scorecards in the report, with their interviewer, recommendation,
    application and outcome flag."""
    return (
        select(
            Scorecard.id.label("scorecard_id"),
            Scorecard.interviewer_id.label("interviewer_id"),
            Scorecard.recommendation.label("recommendation"),
            Interview.application_id.label("application_id"),
            _outcome_flag().label("outcome"),
        )
        .join(Interview, Interview.id == Scorecard.interview_id)
        .join(Application, Application.id == Interview.application_id)
        .join(Requisition, Requisition.id == Application.requisition_id)
        .outerjoin(HiringDecision, HiringDecision.application_id == Application.id)
        .where(Scorecard.submitted_at.is_not(None), *interview_filters(filters, levels))
        .subquery("cards")
    )


# --- calibration -------------------------------------------------------------------------


def _points_index(points: int | None) -> int | None:
    return None if points is None else points - 1


def _due_and_late(now: datetime) -> tuple[ColumnElement[bool], ColumnElement[bool]]:
    """Whether a scorecard (``Interview`` joined, ``Scorecard`` outer-joined) is due by
    ``now`` or submitted, and whether it was (or is) late: the reminders' rule
    (:func:`pipelines.reminders.scorecard_due`) as the hiring reports write it in SQL
    (:func:`app.reports.queries.scorecard_due_days`)."""
    due = scorecard_due_days()
    at = literal(days_of(now), Float())
    submitted = Scorecard.submitted_at.is_not(None)
    counted = or_(submitted, at > due)
    late = or_(
        and_(submitted, epoch_days(Scorecard.submitted_at) > due),
        and_(~submitted, at > due),
    )
    return counted, late


def calibration_counts(
    filters: Filters,
    levels: Sequence[str] | None,
    *,
    now: datetime,
    criteria_of: int | None = None,
) -> tuple[list[InterviewerCounts], list[CriterionCounts], dict[int, str]]:
    """Every interviewer's counts, every criterion's (of ``criteria_of``'s ratings only,
    when given) and the interviewers' names. Six queries, whatever the data."""
    cards = _submitted_cards(filters, levels)
    ratings: dict[int, list[int]] = {}
    not_assessed: dict[int, int] = {}

    # 1. Criterion ratings per interviewer and point.
    for interviewer_id, points, count in db.session.execute(
        select(cards.c.interviewer_id, ScorecardRating.points, func.count())
        .join(ScorecardRating, ScorecardRating.scorecard_id == cards.c.scorecard_id)
        .group_by(cards.c.interviewer_id, ScorecardRating.points)
    ):
        index = _points_index(points)
        if index is None:
            not_assessed[interviewer_id] = int(count)
        else:
            ratings.setdefault(interviewer_id, [0, 0, 0, 0])[index] = int(count)

    # 2. Recommendations per interviewer and value, with agreement with the outcome.
    recommendations: dict[int, list[int]] = {}
    decided: dict[int, int] = {}
    agreed: dict[int, int] = {}
    positive = cards.c.recommendation.in_(("yes", "strong_yes"))
    agrees = case(
        (and_(positive, cards.c.outcome == 1), 1),
        (and_(~positive, cards.c.outcome == 0), 1),
        else_=0,
    )
    for interviewer_id, recommendation, count, with_outcome, agreeing in db.session.execute(
        select(
            cards.c.interviewer_id,
            cards.c.recommendation,
            func.count(),
            func.count(cards.c.outcome),
            func.coalesce(func.sum(agrees), 0),
        )
        .where(cards.c.recommendation.is_not(None))
        .group_by(cards.c.interviewer_id, cards.c.recommendation)
    ):
        value = getattr(recommendation, "value", recommendation)
        recommendations.setdefault(interviewer_id, [0, 0, 0, 0])[SCALE.index(value)] = int(count)
        decided[interviewer_id] = decided.get(interviewer_id, 0) + int(with_outcome)
        agreed[interviewer_id] = agreed.get(interviewer_id, 0) + int(agreeing)

    # 3. Leniency: per (application, criterion, interviewer) their points, against the
    # others' on the same application and criterion (a window over the pair).
    per = (
        select(
            cards.c.application_id.label("a"),
            ScorecardRating.criterion_id.label("c"),
            cards.c.interviewer_id.label("u"),
            func.sum(ScorecardRating.points).label("sp"),
            func.count(ScorecardRating.points).label("np"),
        )
        .join(ScorecardRating, ScorecardRating.scorecard_id == cards.c.scorecard_id)
        .where(ScorecardRating.points.is_not(None))
        .group_by(cards.c.application_id, ScorecardRating.criterion_id, cards.c.interviewer_id)
        .subquery("per")
    )
    pair = (per.c.a, per.c.c)
    windowed = select(
        per.c.u,
        per.c.sp,
        per.c.np,
        func.sum(per.c.sp).over(partition_by=pair).label("ts"),
        func.sum(per.c.np).over(partition_by=pair).label("tn"),
    ).subquery("windowed")
    diff = _float(windowed.c.sp) / windowed.c.np - _float(windowed.c.ts - windowed.c.sp) / (
        windowed.c.tn - windowed.c.np
    )
    leniency: dict[int, Sums] = {}
    for interviewer_id, n, total, squares in db.session.execute(
        select(windowed.c.u, func.count(), func.sum(diff), func.sum(diff * diff))
        .where(windowed.c.tn > windowed.c.np)
        .group_by(windowed.c.u)
    ):
        leniency[interviewer_id] = Sums(int(n), float(total), float(squares))

    # 4. Late scorecards per interviewer (interviews not cancelled, in the filters).
    counted, late = _due_and_late(now)
    lateness: dict[int, tuple[int, int]] = {}
    for interviewer_id, due, late_count in db.session.execute(
        select(
            InterviewInterviewer.user_id,
            func.count(),
            func.coalesce(func.sum(case((late, 1), else_=0)), 0),
        )
        .join(Interview, Interview.id == InterviewInterviewer.interview_id)
        .join(Application, Application.id == Interview.application_id)
        .join(Requisition, Requisition.id == Application.requisition_id)
        .outerjoin(
            Scorecard,
            and_(
                Scorecard.interview_id == Interview.id,
                Scorecard.interviewer_id == InterviewInterviewer.user_id,
            ),
        )
        .where(
            Interview.cancelled_at.is_(None),
            Interview.starts_at.is_not(None),
            counted,
            *interview_filters(filters, levels),
        )
        .group_by(InterviewInterviewer.user_id)
    ):
        lateness[interviewer_id] = (int(due), int(late_count))

    # 5. Per criterion: not assessed, and per application the mean points by outcome.
    per_application = (
        select(
            ScorecardRating.criterion_id.label("c"),
            func.count().label("rows"),
            func.count(ScorecardRating.points).label("np"),
            func.sum(ScorecardRating.points).label("sp"),
            func.max(cards.c.outcome).label("outcome"),
        )
        .join(ScorecardRating, ScorecardRating.scorecard_id == cards.c.scorecard_id)
        .where(true() if criteria_of is None else cards.c.interviewer_id == criteria_of)
        .group_by(cards.c.application_id, ScorecardRating.criterion_id)
        .subquery("per_application")
    )
    p = per_application.c
    x = _float(p.sp) / func.nullif(p.np, 0)

    def when(flag: int, value: Any) -> Any:
        return func.coalesce(
            func.sum(case((and_(p.outcome == flag, p.np > 0), value), else_=None)), 0
        )

    criteria = [
        CriterionCounts(
            criterion_id=criterion_id,
            ratings=int(rows),
            not_assessed=int(rows) - int(assessed),
            hired=Sums(int(nh), float(sh), float(ssh)),
            not_hired=Sums(int(nn), float(sn), float(ssn)),
        )
        for criterion_id, rows, assessed, nh, sh, ssh, nn, sn, ssn in db.session.execute(
            select(
                p.c,
                func.sum(p.rows),
                func.sum(p.np),
                when(1, 1),
                when(1, x),
                when(1, x * x),
                when(0, 1),
                when(0, x),
                when(0, x * x),
            ).group_by(p.c)
        )
    ]

    ids = set(ratings) | set(recommendations) | set(leniency) | set(lateness) | set(not_assessed)
    if filters.interviewer is not None:
        ids.add(filters.interviewer)
    if criteria_of is not None:
        ids.add(criteria_of)
    # 6. The names (and whether an asked-for interviewer exists at all).
    names = {
        user_id: name
        for user_id, name in db.session.execute(
            select(User.id, User.display_name).where(User.id.in_(sorted(ids)))
        )
    }
    interviewers = [
        InterviewerCounts(
            interviewer_id=i,
            ratings=_four(ratings.get(i)),
            not_assessed=not_assessed.get(i, 0),
            recommendations=_four(recommendations.get(i)),
            decided=decided.get(i, 0),
            agreed=agreed.get(i, 0),
            leniency=leniency.get(i, Sums()),
            due=lateness.get(i, (0, 0))[0],
            late=lateness.get(i, (0, 0))[1],
        )
        for i in sorted(ids)
        if i in names
    ]
    return interviewers, criteria, names


def _four(values: list[int] | None) -> tuple[int, int, int, int]:
    v = values or [0, 0, 0, 0]
    return (v[0], v[1], v[2], v[3])


# --- quality of hire ---------------------------------------------------------------------


def _days_between(later: Any, earlier: Any) -> Any:
    if _dialect() == "postgresql":
        return later - earlier  # date - date: whole days
    return func.julianday(later) - func.julianday(earlier)


def _hires(
    scope: ColumnElement[bool], filters: Filters, levels: Sequence[str] | None, today: date
) -> Any:
    """One row per hire in scope: the application, the hire day (the "hired" span its hire
    wrote), the first promotion after it (by today, and before a later hire of the same
    person), whether they left (by today, or before being hired again), and the leveling
    step. A person hired twice counts once per hire, each with its own stint."""
    hired = (
        select(
            LevelSpan.application_id,
            LevelSpan.user_id,
            LevelSpan.starts_on.label("hired_on"),
        )
        .where(LevelSpan.reason == LevelReason.HIRED.value, LevelSpan.application_id.is_not(None))
        .subquery("hired")
    )
    again = LevelSpan.__table__.alias("again")
    stints = (
        select(
            hired.c.application_id,
            hired.c.user_id,
            hired.c.hired_on,
            func.min(again.c.starts_on).label("next_hired_on"),
        )
        .outerjoin(
            again,
            and_(
                again.c.user_id == hired.c.user_id,
                again.c.reason == LevelReason.HIRED.value,
                again.c.starts_on > hired.c.hired_on,
            ),
        )
        .group_by(hired.c.application_id, hired.c.user_id, hired.c.hired_on)
        .subquery("stints")
    )
    later = LevelSpan.__table__.alias("later")
    promoted = (
        select(stints.c.application_id, func.min(later.c.starts_on).label("promoted_on"))
        .join(
            later,
            and_(
                later.c.user_id == stints.c.user_id,
                later.c.reason == LevelReason.PROMOTED.value,
                later.c.starts_on > stints.c.hired_on,
                later.c.starts_on <= today,
                or_(stints.c.next_hired_on.is_(None), later.c.starts_on < stints.c.next_hired_on),
            ),
        )
        .group_by(stints.c.application_id)
        .subquery("promoted")
    )
    hired = stints
    conditions: list[ColumnElement[bool]] = [Application.hired_user_id.is_not(None), scope]
    if filters.start is not None:
        conditions.append(hired.c.hired_on >= filters.start)
    if filters.end is not None:
        conditions.append(hired.c.hired_on <= filters.end)
    if levels is not None:
        conditions.append(Requisition.level_id.in_(levels))
    return (
        select(
            Application.id.label("application_id"),
            hired.c.hired_on,
            promoted.c.promoted_on,
            case(
                (hired.c.next_hired_on.is_not(None), 1),
                (and_(User.left_on.is_not(None), User.left_on <= today), 1),
                else_=0,
            ).label("left"),
            HiringDecision.step.label("step"),
        )
        .join(Requisition, Requisition.id == Application.requisition_id)
        .join(User, User.id == Application.hired_user_id)
        .join(hired, hired.c.application_id == Application.id)
        .outerjoin(promoted, promoted.c.application_id == Application.id)
        .outerjoin(HiringDecision, HiringDecision.application_id == Application.id)
        .where(*conditions)
        .cte("hires")
    )


def quality_counts(
    scope: ColumnElement[bool],
    filters: Filters,
    levels: Sequence[str] | None,
    *,
    today: date,
    observed_since: date,
) -> tuple[dict[str | None, OutcomeCounts], dict[bool, OutcomeCounts], list[CriterionSums]]:
    """Outcome counts per leveling step and per recommendation (True: strong yes), and
    per criterion the sums of its correlations with promotion and leaving, over the hires
    of ``observed_since`` or before. Three queries."""
    hires = _hires(scope, filters, levels, today)
    h = hires.c
    observed = h.hired_on <= observed_since
    promoted = and_(observed, h.promoted_on.is_not(None))
    days = _days_between(h.promoted_on, h.hired_on)

    def outcome_columns() -> list[Any]:
        return [
            func.count(),
            func.coalesce(func.sum(case((observed, 1), else_=0)), 0),
            func.coalesce(func.sum(case((promoted, 1), else_=0)), 0),
            func.coalesce(func.sum(case((and_(observed, h.left == 1), 1), else_=0)), 0),
            func.coalesce(func.sum(case((promoted, days), else_=None)), 0),
            func.coalesce(func.sum(case((promoted, days * days), else_=None)), 0),
        ]

    def counts(row: Sequence[Any]) -> OutcomeCounts:
        hires_n, observed_n, promoted_n, left_n, total, squares = (row[i] for i in range(6))
        return OutcomeCounts(
            int(hires_n),
            int(observed_n),
            int(promoted_n),
            int(left_n),
            Sums(int(promoted_n), float(total), float(squares)),
        )

    # 1. Per leveling step.
    steps: dict[str | None, OutcomeCounts] = {}
    for row in db.session.execute(select(h.step, *outcome_columns()).group_by(h.step)):
        step = getattr(row[0], "value", row[0])
        steps[step] = counts(row[1:])

    # 2. Per recommendation of each interviewer: strong yes or not.
    strong = func.coalesce(case((Scorecard.recommendation == "strong_yes", 1), else_=0), 0).label(
        "strong"
    )
    recommendations: dict[bool, OutcomeCounts] = {}
    for row in db.session.execute(
        select(strong, *outcome_columns())
        .select_from(hires)
        .join(Interview, Interview.application_id == h.application_id)
        .join(Scorecard, Scorecard.interview_id == Interview.id)
        .where(Scorecard.submitted_at.is_not(None), Scorecard.recommendation.is_not(None))
        .group_by(strong)
    ):
        recommendations[bool(row[0])] = counts(row[1:])

    # 3. Per criterion, over observed hires: x = the hire's mean points on it.
    per_hire = (
        select(
            ScorecardRating.criterion_id.label("c"),
            (_float(func.sum(ScorecardRating.points)) / func.count(ScorecardRating.points)).label(
                "x"
            ),
            func.max(case((h.promoted_on.is_not(None), 1), else_=0)).label("promoted"),
            func.max(h.left).label("left"),
        )
        .select_from(hires)
        .join(Interview, Interview.application_id == h.application_id)
        .join(Scorecard, Scorecard.interview_id == Interview.id)
        .join(ScorecardRating, ScorecardRating.scorecard_id == Scorecard.id)
        .where(
            observed,
            Scorecard.submitted_at.is_not(None),
            ScorecardRating.points.is_not(None),
        )
        .group_by(h.application_id, ScorecardRating.criterion_id)
        .subquery("per_hire")
    )
    q = per_hire.c
    criteria = [
        CriterionSums(
            criterion_id=criterion_id,
            n=int(n),
            sum_x=float(sx),
            sum_xx=float(sxx),
            promoted=int(sp),
            sum_x_promoted=float(sxp),
            left=int(sl),
            sum_x_left=float(sxl),
        )
        for criterion_id, n, sx, sxx, sp, sxp, sl, sxl in db.session.execute(
            select(
                q.c,
                func.count(),
                func.sum(q.x),
                func.sum(q.x * q.x),
                func.sum(q.promoted),
                func.sum(q.x * q.promoted),
                func.sum(q.left),
                func.sum(q.x * q.left),
            ).group_by(q.c)
        )
    ]
    return steps, recommendations, criteria


__all__ = ["calibration_counts", "interview_filters", "quality_counts"]
