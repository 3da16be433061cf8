"""The hiring reports' SQL: aggregates over the pipeline's records, a fixed number of
queries per report whatever the data size, the same numbers on SQLite and PostgreSQL.

* funnel: one query (moves counted by kind, stage and decline reason);
* time in stage: two (spans between an application's moves, by LEAD over its moves in
  order; medians and 90th percentiles by ROW_NUMBER and COUNT; then time to hire);
* sources: one; open requisitions: two (the age buckets, the oldest); overdue scorecards:
  one.

Times are measured in days from the Unix epoch (:class:`epoch_days`: julianday on SQLite,
date_part(epoch) on PostgreSQL), so that differences are days on both. A requisition named
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
    Requisition,
    StageTransition,
    User,
)
from app.reports.filters import ReportFilters
from app.reports.scope import requisition_scope
from app.services.reminders import owed_scorecards
from ladder.model import Ladder
from pipelines import reports as shape
from pipelines.applications import Action, ApplicationStatus
from pipelines.errors import PipelineError
from pipelines.plan import INTERVIEW_KINDS, PipelinePlan, StageKind, build_plan
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
    return f"(date_part('epoch', {inner}) / 86400.0)"


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
    #: Each level's family (from the ladder).
    level_family: dict[str, str]

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

    def stage_key(self, column: Any, level: Any = None) -> Any:
        """SQL for the stage axis' key of a stage id column: the id itself for one family,
        its kind (per the family of the requisition's level) for several."""
        if not self.by_kind:
            return column
        level_column = Requisition.level_id if level is None else level
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
                            and_(column == stage_id, level_column.in_(levels)),
                            kind_here.value,
                        )
                    )
        if not whens:
            return column
        return case(*whens, else_=column)

    def _plan_of(self, level_id: str) -> PipelinePlan | None:
        family = self.level_family.get(level_id)
        return next((p for p in self.plans if p.family_id == family), None)

    def key_of(self, level_id: str, stage_id: str | None) -> str | None:
        """The stage axis' key of a stage of a requisition at ``level_id`` (what
        :meth:`stage_key` computes in SQL, for rows grouped by level and stage)."""
        if stage_id is None or not self.by_kind:
            return stage_id
        plan = self._plan_of(level_id)
        if plan is None:
            return stage_id
        kind = shape.kind_keys([plan])[plan.family_id].get(stage_id)
        return kind.value if kind is not None else stage_id

    def first_interview(self, level_id: str) -> str | None:
        """The first interview stage of the level's family: every application that reached
        an interview entered it (stages are passed in order; the only jump, to the
        reference check, skips the interviews)."""
        plan = self._plan_of(level_id)
        if plan is None:
            return None
        return next((s.id for s in plan.stages if s.kind in INTERVIEW_KINDS), None)


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
    level_family = {level: family for family, levels in family_levels.items() for level in levels}
    return ReportContext(filters, user, plans, columns, requisition, family_levels, level_family)


def _joined(query: Any) -> Any:
    return query.join(Application, Application.id == StageTransition.application_id).join(
        Requisition, Requisition.id == Application.requisition_id
    )


# --- funnel --------------------------------------------------------------------------


def funnel(context: ReportContext) -> shape.Funnel:
    """One query: every move of the applications covered, counted by kind of move, level,
    the stages it left and entered, and the decline reason (a plain GROUP BY; the stages
    become the report's keys here)."""
    reason = case(
        (StageTransition.action == Action.DECLINE, StageTransition.reason), else_=None
    ).label("reason")
    rows = db.session.execute(
        _joined(
            select(
                StageTransition.action,
                Requisition.level_id,
                StageTransition.from_stage,
                StageTransition.to_stage,
                reason,
                func.count(),
            )
        )
        .where(*context.application_conditions())
        .group_by(
            StageTransition.action,
            Requisition.level_id,
            StageTransition.from_stage,
            StageTransition.to_stage,
            reason,
        )
    ).all()
    counted = []
    for action, level_id, from_stage, to_stage, why, n in rows:
        to_key = context.key_of(level_id, to_stage)
        assert to_key is not None
        counted.append(
            shape.MoveCount(
                Action(action), context.key_of(level_id, from_stage), to_key, why, int(n)
            )
        )
    return shape.funnel(context.columns, counted)


# --- time in stage -------------------------------------------------------------------


def _ordered_set_aggregates() -> bool:
    """PostgreSQL has the median and percentiles as aggregates (percentile_cont and
    percentile_disc WITHIN GROUP): one sort per group instead of a window over the whole
    set. SQLite numbers the rows (ROW_NUMBER, COUNT) and picks them. The same numbers:
    the median is the mean of the middle two, the 90th percentile the nearest rank."""
    return bool(db.session.get_bind().dialect.name == "postgresql")


def _summary(spans: Any, group: Any | None) -> Any:
    """A query of the spans (columns ``days``, NULL for one not finished), per ``group``
    (or all of them): the finished count, mean, median, 90th percentile, unfinished count."""
    days = spans.c.days
    keys = [group] if group is not None else []
    unfinished = func.sum(case((days.is_(None), 1), else_=0))
    if _ordered_set_aggregates():
        return select(
            *keys,
            func.count(days),
            func.avg(days),
            func.percentile_cont(0.5).within_group(days),
            func.percentile_disc(0.9).within_group(days),
            unfinished,
        ).group_by(*keys)
    finished = case((days.is_(None), 0), else_=1)
    partition = [*keys, finished]
    ranked = select(
        *keys,
        days.label("days"),
        func.row_number().over(partition_by=partition, order_by=days).label("rn"),
        func.count().over(partition_by=partition).label("n"),
    ).subquery()
    keep = ranked.c.days.is_not(None)
    n, rn, value = ranked.c.n, ranked.c.rn, ranked.c.days
    middle = or_(rn == (n + 1) // 2, rn == (n + 2) // 2)
    grouped = [ranked.c[group.name]] if group is not None else []
    return select(
        *grouped,
        func.count(value),
        func.avg(value),
        func.avg(case((and_(keep, middle), value), else_=None)),
        func.max(case((and_(keep, rn == (9 * n + 9) // 10), value), else_=None)),
        func.sum(case((keep, 0), else_=1)),
    ).group_by(*grouped)


def _durations(n: Any, mean: Any, median: Any, p90: Any) -> shape.Durations:
    if not n:
        return shape.NO_DURATIONS
    return shape.Durations(int(n), float(mean), float(median), float(p90))


def time_in_stage(context: ReportContext) -> tuple[tuple[shape.StageTime, ...], shape.Durations]:
    """Two queries: days from entering each stage to the application's next move (LEAD
    over its moves in order), by stage; then days from opening to hire."""
    moves = (
        _joined(
            select(
                StageTransition.action.label("action"),
                StageTransition.to_stage.label("to_stage"),
                Requisition.level_id.label("level_id"),
                StageTransition.at.label("at"),
                func.lead(StageTransition.at)
                .over(
                    partition_by=StageTransition.application_id,
                    order_by=(StageTransition.at, StageTransition.id),
                )
                .label("next_at"),
            )
        )
        .where(*context.application_conditions())
        .subquery()
    )
    # Days are worked out for the entering moves only (each once).
    spans = (
        select(
            context.stage_key(moves.c.to_stage, moves.c.level_id).label("stage_key"),
            (epoch_days(moves.c.next_at) - epoch_days(moves.c.at)).label("days"),
        )
        .where(moves.c.action.in_([a.value for a in shape.ENTERING]))
        .subquery()
    )
    rows = db.session.execute(_summary(spans, spans.c.stage_key)).all()
    durations = {key: _durations(n, mean, median, p90) for key, n, mean, median, p90, _ in rows}
    ongoing = {key: int(o) for key, *_, o in rows if o}
    stages = shape.stage_times(context.columns, durations, ongoing)

    hires = (
        _joined(
            select(
                (epoch_days(StageTransition.at) - epoch_days(Application.created_at)).label("days"),
            )
        )
        .where(StageTransition.action == Action.HIRE, *context.application_conditions())
        .subquery()
    )
    n, mean, median, p90, _ = db.session.execute(_summary(hires, None)).one()
    return stages, _durations(n, mean, median, p90)


# --- sources -------------------------------------------------------------------------


def sources(context: ReportContext) -> tuple[shape.SourceCounts, ...]:
    """One query: the applications' openings, entries into stages, offers and hires,
    counted by source, level and stage (a plain GROUP BY); per source then the
    applications, how many entered an interview stage (its family's first: see
    :meth:`ReportContext.first_interview`), got an offer, were hired."""
    counted = [Action.OPEN, Action.ADVANCE, Action.MAKE_OFFER, Action.HIRE]
    rows = db.session.execute(
        _joined(
            select(
                Application.source,
                Requisition.level_id,
                StageTransition.action,
                StageTransition.to_stage,
                func.count(),
            )
        )
        .where(
            StageTransition.action.in_([a.value for a in counted]),
            *context.application_conditions(),
        )
        .group_by(
            Application.source,
            Requisition.level_id,
            StageTransition.action,
            StageTransition.to_stage,
        )
    ).all()
    totals: dict[str, list[int]] = {}
    for source, level_id, action, to_stage, n in rows:
        entry = totals.setdefault(source.value, [0, 0, 0, 0])
        if action is Action.OPEN:
            entry[0] += n
        if action in shape.ENTERING and to_stage == context.first_interview(level_id):
            entry[1] += n
        if action is Action.MAKE_OFFER:
            entry[2] += n
        if action is Action.HIRE:
            entry[3] += n
    return shape.sources(shape.SourceCounts(source, *counts) for source, counts in totals.items())


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
        owed_scorecards(select(User.id, User.display_name, func.count(), func.min(due)), now)
        .where(
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
