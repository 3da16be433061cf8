"""The hiring reports' SQL: aggregates over the pipeline's records, a fixed number of
queries per report whatever the data size, the same numbers on SQLite and PostgreSQL.

* funnel: one query (moves counted by kind, stage and decline reason);
* time in stage: two (spans between an application's moves, by LEAD over its moves in
  order; medians and 90th percentiles by ROW_NUMBER and COUNT; then time to hire);
* sources: one; open requisitions: two (the age buckets, the oldest); overdue scorecards:
  one.

Times are measured in days from the Unix epoch (:class:`epoch_days`: julianday on SQLite,
EXTRACT(EPOCH) on PostgreSQL), so that differences are days on both. A requisition named
in the filters that the viewer may not see is one query more (and a 404).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from flask import current_app
from sqlalchemy import Float, and_, case, func, literal, or_, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.functions import FunctionElement

from app.db import db
from app.ladder_access import get_ladder
from app.models import (
    Application,
    Interview,
    InterviewInterviewer,
    Requisition,
    Scorecard,
    StageTransition,
    User,
)
from app.reports.filters import ReportFilters
from app.reports.scope import requisition_scope
from ladder.model import Ladder
from pipelines import reports as shape
from pipelines.applications import Action, ApplicationStatus
from pipelines.errors import PipelineError
from pipelines.plan import INTERVIEW_KINDS, PipelinePlan, StageKind, build_plan
from pipelines.reminders import WORKING_DAY
from pipelines.requisitions import RequisitionStatus

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
#: 1970-01-01 was a Thursday: (day number + 3) % 7 is the weekday, Monday 0.
_THURSDAY = 3
#: How many of the oldest open requisitions the report lists.
OLDEST_LIMIT = 10


# --- SQL building blocks -------------------------------------------------------------


class epoch_days(FunctionElement[float]):
    """Days (fractional) from 1970-01-01 UTC to a datetime column."""

    type = Float()
    inherit_cache = True
    name = "epoch_days"


@compiles(epoch_days, "sqlite")
def _epoch_days_sqlite(element: epoch_days, compiler: SQLCompiler, **kw: Any) -> str:
    return f"(julianday({compiler.process(element.clauses, **kw)}) - 2440587.5)"


@compiles(epoch_days, "postgresql")
def _epoch_days_postgresql(element: epoch_days, compiler: SQLCompiler, **kw: Any) -> str:
    inner = compiler.process(element.clauses, **kw)
    return f"(CAST(EXTRACT(EPOCH FROM {inner}) AS DOUBLE PRECISION) / 86400.0)"


class whole_days(FunctionElement[int]):
    """The whole number of days below a non-negative number of days (its floor)."""

    inherit_cache = True
    name = "whole_days"


@compiles(whole_days, "sqlite")
def _whole_days_sqlite(element: whole_days, compiler: SQLCompiler, **kw: Any) -> str:
    return f"CAST({compiler.process(element.clauses, **kw)} AS INTEGER)"


@compiles(whole_days, "postgresql")
def _whole_days_postgresql(element: whole_days, compiler: SQLCompiler, **kw: Any) -> str:
    return f"CAST(FLOOR({compiler.process(element.clauses, **kw)}) AS INTEGER)"


def days_of(moment: datetime) -> float:
    """``moment`` in the same unit as :class:`epoch_days`."""
    return (moment - EPOCH).total_seconds() / 86400.0


# --- what a report covers ------------------------------------------------------------

_PLANS: dict[tuple[str, str], PipelinePlan | None] = {}


def _plan(ladder: Ladder, family_id: str) -> PipelinePlan | None:
    key = (ladder.version, family_id)
    if key not in _PLANS:
        try:
            _PLANS[key] = build_plan(ladder, family_id)
        except PipelineError:
            _PLANS[key] = None  # a family without a hiring process has no stages
    return _PLANS[key]


def planned_days() -> dict[StageKind, float]:
    """The planned days per kind of stage: pipelines.reports.PLANNED_DAYS, with the
    setting REPORT_PLANNED_DAYS ({kind: days}) over it."""
    configured = current_app.config.get("REPORT_PLANNED_DAYS") or {}
    out = dict(shape.PLANNED_DAYS)
    for kind, days in configured.items():
        out[StageKind(kind)] = float(days)
    return out


@dataclass(frozen=True)
class ReportContext:
    """What a report covers for one viewer and one set of filters."""

    filters: ReportFilters
    user: User
    plans: tuple[PipelinePlan, ...]
    columns: tuple[shape.StageColumn, ...]
    #: The requisition named in the filters (with the viewer's right to see it checked).
    requisition: Requisition | None
    family_levels: dict[str, tuple[str, ...]]

    @property
    def by_kind(self) -> bool:
        return shape.by_kind(self.plans)

    def requisition_conditions(self) -> list[ColumnElement[bool]]:
        """Conditions on Requisition: the viewer's scope, the requisition, level, family."""
        found: list[ColumnElement[bool]] = [requisition_scope(self.user)]
        f = self.filters
        if f.requisition_id is not None:
            found.append(Requisition.id == f.requisition_id)
        if f.level is not None:
            found.append(Requisition.level_id == f.level)
        if f.family is not None:
            found.append(Requisition.level_id.in_(self.family_levels.get(f.family, ())))
        return found

    def period(self, column: Any) -> list[ColumnElement[bool]]:
        f = self.filters
        found: list[ColumnElement[bool]] = []
        if f.period_start is not None:
            found.append(column >= f.period_start)
        if f.period_end is not None:
            found.append(column < f.period_end)
        return found

    def application_conditions(self) -> list[ColumnElement[bool]]:
        return [*self.requisition_conditions(), *self.period(Application.created_at)]

    def stage_key(self, column: Any) -> Any:
        """SQL for the stage axis' key of a stage id column: the id itself for one family,
        its kind (per the family of the requisition's level) for several."""
        if not self.by_kind:
            return column
        kinds = shape.kind_keys(self.plans)
        by_id: dict[str, set[StageKind]] = {}
        for stages in kinds.values():
            for stage_id, kind in stages.items():
                by_id.setdefault(stage_id, set()).add(kind)
        whens: list[tuple[ColumnElement[bool], str]] = []
        for stage_id in sorted(by_id):
            if len(by_id[stage_id]) == 1:
                (kind,) = by_id[stage_id]
                whens.append((column == stage_id, kind.value))
                continue
            for family_id in sorted(kinds):
                kind_here = kinds[family_id].get(stage_id)
                if kind_here is not None:
                    levels = self.family_levels.get(family_id, ())
                    whens.append(
                        (
                            and_(column == stage_id, Requisition.level_id.in_(levels)),
                            kind_here.value,
                        )
                    )
        if not whens:
            return column
        return case(*whens, else_=column)

    def interview_keys(self) -> list[str]:
        return [c.key for c in self.columns if c.kind in INTERVIEW_KINDS]


def report_context(user: User, filters: ReportFilters) -> ReportContext | None:
    """The context of a report; None when the filters name a requisition the viewer may
    not see (or that does not exist): a 404."""
    ladder = get_ladder()
    requisition = None
    if filters.requisition_id is not None:
        requisition = db.session.scalars(
            select(Requisition).where(
                Requisition.id == filters.requisition_id, requisition_scope(user)
            )
        ).one_or_none()
        if requisition is None:
            return None
    family_levels = {f.id: tuple(level.id for level in f.levels) for f in ladder.families}
    family: str | None = None
    if requisition is not None:
        level = ladder.levels_by_id.get(requisition.level_id)
        family = level.family if level is not None else None
    elif filters.level is not None:
        family = ladder.levels_by_id[filters.level].family
    elif filters.family is not None:
        family = filters.family
    wanted = [family] if family is not None else [f.id for f in ladder.families]
    plans = tuple(plan for plan in (_plan(ladder, f) for f in wanted) if plan is not None)
    if requisition is not None and family is None:
        plans = ()  # a requisition at a level the ladder no longer has: its stage ids
    columns = shape.stage_columns(plans, planned_days())
    return ReportContext(filters, user, plans, columns, requisition, family_levels)


def _joined(query: Any) -> Any:
    return query.join(Application, Application.id == StageTransition.application_id).join(
        Requisition, Requisition.id == Application.requisition_id
    )


# --- funnel --------------------------------------------------------------------------


def funnel(context: ReportContext) -> shape.Funnel:
    """One query: every move of the applications covered, counted by kind of move, the
    stages it left and entered (as the report's keys) and the decline reason."""
    moves = _joined(
        select(
            StageTransition.action.label("action"),
            context.stage_key(StageTransition.from_stage).label("from_key"),
            context.stage_key(StageTransition.to_stage).label("to_key"),
            case(
                (StageTransition.action == Action.DECLINE, StageTransition.reason),
                else_=None,
            ).label("reason"),
        )
    ).where(*context.application_conditions())
    inner = moves.subquery()
    rows = db.session.execute(
        select(
            inner.c.action, inner.c.from_key, inner.c.to_key, inner.c.reason, func.count()
        ).group_by(inner.c.action, inner.c.from_key, inner.c.to_key, inner.c.reason)
    ).all()
    counted = [
        shape.MoveCount(Action(action), from_key, to_key, reason, int(n))
        for action, from_key, to_key, reason, n in rows
    ]
    return shape.funnel(context.columns, counted)


# --- time in stage -------------------------------------------------------------------


def _distribution(ranked: Any, *, where: Any = None) -> list[Any]:
    """Aggregates of a ranked set (columns days, rn, n): n, mean, median, p90."""
    keep = ranked.c.rn.isnot(None) if where is None else where
    n = ranked.c.n
    return [
        func.max(case((keep, n), else_=None)),
        func.avg(case((keep, ranked.c.days), else_=None)),
        func.avg(
            case(
                (
                    and_(keep, or_(ranked.c.rn == (n + 1) // 2, ranked.c.rn == (n + 2) // 2)),
                    ranked.c.days,
                ),
                else_=None,
            )
        ),
        func.max(case((and_(keep, ranked.c.rn == (9 * n + 9) // 10), ranked.c.days), else_=None)),
    ]


def _durations(n: Any, mean: Any, median: Any, p90: Any) -> shape.Durations:
    if not n:
        return shape.NO_DURATIONS
    return shape.Durations(int(n), float(mean), float(median), float(p90))


def time_in_stage(context: ReportContext) -> tuple[tuple[shape.StageTime, ...], shape.Durations]:
    """Two queries: days from entering each stage to the application's next move (LEAD
    over its moves in order), by stage; then days from opening to hire."""
    at = epoch_days(StageTransition.at)
    moves = (
        _joined(
            select(
                StageTransition.action.label("action"),
                context.stage_key(StageTransition.to_stage).label("stage_key"),
                at.label("at_days"),
                func.lead(at)
                .over(
                    partition_by=StageTransition.application_id,
                    order_by=(StageTransition.at, StageTransition.id),
                )
                .label("next_days"),
            )
        )
        .where(*context.application_conditions())
        .subquery()
    )
    done = case((moves.c.next_days.is_(None), 0), else_=1)
    spans = (
        select(
            moves.c.stage_key,
            (moves.c.next_days - moves.c.at_days).label("days"),
            done.label("done"),
        )
        .where(moves.c.action.in_([a.value for a in shape.ENTERING]))
        .subquery()
    )
    ranked = select(
        spans.c.stage_key,
        spans.c.days,
        spans.c.done,
        func.row_number()
        .over(partition_by=(spans.c.stage_key, spans.c.done), order_by=spans.c.days)
        .label("rn"),
        func.count().over(partition_by=(spans.c.stage_key, spans.c.done)).label("n"),
    ).subquery()
    finished = ranked.c.done == 1
    rows = db.session.execute(
        select(
            ranked.c.stage_key,
            func.sum(case((finished, 0), else_=1)),
            *_distribution(ranked, where=finished),
        ).group_by(ranked.c.stage_key)
    ).all()
    durations = {key: _durations(n, mean, median, p90) for key, _o, n, mean, median, p90 in rows}
    ongoing = {key: int(o) for key, o, *_ in rows if o}
    stages = shape.stage_times(context.columns, durations, ongoing)

    hires = (
        _joined(
            select(
                (at - epoch_days(Application.created_at)).label("days"),
            )
        )
        .where(StageTransition.action == Action.HIRE, *context.application_conditions())
        .subquery()
    )
    ranked_hires = select(
        hires.c.days,
        func.row_number().over(order_by=hires.c.days).label("rn"),
        func.count().over().label("n"),
    ).subquery()
    row = db.session.execute(select(*_distribution(ranked_hires))).one()
    return stages, _durations(*row)


# --- sources -------------------------------------------------------------------------


def sources(context: ReportContext) -> tuple[shape.SourceCounts, ...]:
    """One query: per source the applications, how many entered an interview stage, got
    an offer, were hired."""
    entering = StageTransition.action.in_([a.value for a in shape.ENTERING])
    interview_keys = context.interview_keys()
    reached = (
        and_(entering, context.stage_key(StageTransition.to_stage).in_(interview_keys))
        if interview_keys
        else literal(False)
    )
    rows = db.session.execute(
        select(
            Application.source,
            func.count(Application.id.distinct()),
            func.count(case((reached, Application.id), else_=None).distinct()),
            func.count(
                case(
                    (StageTransition.action == Action.MAKE_OFFER, Application.id), else_=None
                ).distinct()
            ),
            func.count(
                case((StageTransition.action == Action.HIRE, Application.id), else_=None).distinct()
            ),
        )
        .select_from(Application)
        .join(Requisition, Requisition.id == Application.requisition_id)
        .outerjoin(StageTransition, StageTransition.application_id == Application.id)
        .where(*context.application_conditions())
        .group_by(Application.source)
    ).all()
    return shape.sources(
        shape.SourceCounts(source.value, int(a), int(i), int(o), int(h))
        for source, a, i, o, h in rows
    )


# --- open requisitions by age ----------------------------------------------------------


@dataclass(frozen=True)
class OpenRequisition:
    id: int
    title: str
    level_id: str
    opened_at: datetime
    days_open: float
    active_applications: int


def open_requisitions(
    context: ReportContext, now: datetime, bounds: Sequence[int] = shape.AGE_BOUNDS
) -> tuple[tuple[shape.AgeBucket, ...], list[OpenRequisition]]:
    """Two queries: open requisitions counted by age bucket, and the oldest of them."""
    age = literal(days_of(now), Float()) - epoch_days(Requisition.created_at)
    conditions = [
        Requisition.status == RequisitionStatus.OPEN,
        *context.requisition_conditions(),
        *context.period(Requisition.created_at),
    ]
    bucket = case(*[(age < bound, i) for i, bound in enumerate(bounds)], else_=len(bounds))
    inner = select(bucket.label("bucket")).where(*conditions).subquery()
    counts = {
        int(b): int(n)
        for b, n in db.session.execute(
            select(inner.c.bucket, func.count()).group_by(inner.c.bucket)
        ).all()
    }
    active = (
        select(func.count(Application.id))
        .where(
            Application.requisition_id == Requisition.id,
            Application.status.in_([ApplicationStatus.ACTIVE.value, ApplicationStatus.OFFER.value]),
        )
        .correlate(Requisition)
        .scalar_subquery()
    )
    oldest = [
        OpenRequisition(rid, title, level_id, opened, float(days), int(n))
        for rid, title, level_id, opened, days, n in db.session.execute(
            select(
                Requisition.id,
                Requisition.title,
                Requisition.level_id,
                Requisition.created_at,
                age,
                active,
            )
            .where(*conditions)
            .order_by(Requisition.created_at, Requisition.id)
            .limit(OLDEST_LIMIT)
        ).all()
    ]
    return shape.age_buckets(counts, bounds), oldest


# --- overdue scorecards ----------------------------------------------------------------


@dataclass(frozen=True)
class OverdueByInterviewer:
    user_id: int
    name: str
    overdue: int
    #: How long the oldest of their overdue scorecards has been overdue.
    oldest_days: float


def scorecard_due_days() -> Any:
    """SQL for when a scorecard is due (pipelines.reminders.scorecard_due, in days): one
    day after the interview ends, moved to the Monday after when that is a weekend day
    (UTC)."""
    assert Interview.starts_at is not None
    day_after = epoch_days(Interview.starts_at) + Interview.duration_minutes / 1440.0 + 1
    weekday = (whole_days(day_after) + _THURSDAY) % 7
    return day_after + case((weekday == 5, 2), (weekday == 6, 1), else_=0)


def overdue_scorecards(context: ReportContext, now: datetime) -> list[OverdueByInterviewer]:
    """One query: per interviewer, their scorecards overdue at ``now`` (the reminders'
    rule: interviews not cancelled, of active applications, not submitted, owed by active
    people) and how long the oldest has been overdue; most overdue first."""
    now_days = literal(days_of(now), Float())
    due = scorecard_due_days()
    rows = db.session.execute(
        select(User.id, User.display_name, func.count(), func.min(due))
        .select_from(Interview)
        .join(InterviewInterviewer, InterviewInterviewer.interview_id == Interview.id)
        .join(User, User.id == InterviewInterviewer.user_id)
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
            Interview.starts_at < now - WORKING_DAY,
            Application.status == ApplicationStatus.ACTIVE,
            Scorecard.submitted_at.is_(None),
            User.active.is_(True),
            due < now_days,
            *context.requisition_conditions(),
            *context.period(Interview.starts_at),
        )
        .group_by(User.id, User.display_name)
    ).all()
    now_value = days_of(now)
    found = [
        OverdueByInterviewer(uid, name, int(n), now_value - float(first))
        for uid, name, n, first in rows
    ]
    found.sort(key=lambda r: (-r.overdue, -r.oldest_days, r.name, r.user_id))
    return found


# --- the requisitions a viewer may filter by ---------------------------------------------

#: The requisition filter offers at most this many (newest first), plus the one chosen.
MAX_REQUISITION_CHOICES = 200


def requisition_choices(user: User) -> list[tuple[int, str]]:
    rows = db.session.execute(
        select(Requisition.id, Requisition.title)
        .where(requisition_scope(user))
        .order_by(Requisition.id.desc())
        .limit(MAX_REQUISITION_CHOICES)
    ).all()
    return [(rid, title) for rid, title in rows]


__all__ = [
    "OLDEST_LIMIT",
    "OpenRequisition",
    "OverdueByInterviewer",
    "ReportContext",
    "days_of",
    "epoch_days",
    "funnel",
    "open_requisitions",
    "overdue_scorecards",
    "report_context",
    "requisition_choices",
    "scorecard_due_days",
    "sources",
    "time_in_stage",
    "whole_days",
]
