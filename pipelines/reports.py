"""The shaping of the hiring reports: which stages a report lists and in what order, rates
from the counts the database returns, time-in-stage rows against the plan, age buckets.

The database counts (app/reports/queries.py: GROUP BY and window functions, a fixed number
of queries per report); these pure functions turn its rows into what a report shows.

**Stages of one family, or kinds of stage.** A report about one family (a requisition, a
level, or a family chosen in the filters) lists that family's stages in the order of its
hiring process. A report over several families lists *kinds* of stage instead
(recruiter screen, written assessment, hiring manager, peer, panel, executive, other
interview, reference check, in that order), because each family names and orders its
stages its own way while the kinds are shared. A family with two stages of one kind counts
both in that kind's row (a row counts entries into stages of the kind).

**Planned duration.** The ladder's hiring process says how long each interview lasts
(minutes), not how long a stage should take; the plan for time in stage is a target in days
per kind of stage (:data:`PLANNED_DAYS`), which a deployment may override per kind.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from pipelines.applications import Action, DeclineReason
from pipelines.insight import Estimate, rate
from pipelines.plan import PipelinePlan, StageKind
from pipelines.sources import ApplicationSource

#: The order of the kinds of stage when a report spans several families.
KIND_ORDER: tuple[StageKind, ...] = (
    StageKind.RECRUITER_SCREEN,
    StageKind.WRITTEN_ASSESSMENT,
    StageKind.HIRING_MANAGER,
    StageKind.PEER,
    StageKind.PANEL,
    StageKind.EXECUTIVE,
    StageKind.INTERVIEW,
    StageKind.REFERENCES,
)

KIND_LABELS: dict[StageKind, str] = {
    StageKind.RECRUITER_SCREEN: "Recruiter screen",
    StageKind.WRITTEN_ASSESSMENT: "Written assessment",
    StageKind.HIRING_MANAGER: "Hiring manager interview",
    StageKind.PEER: "Peer interview",
    StageKind.PANEL: "Panel interview",
    StageKind.EXECUTIVE: "Executive interview",
    StageKind.INTERVIEW: "Other interview",
    StageKind.REFERENCES: "Reference and background check",
}

#: How many days each kind of stage is planned to take (from entering it to leaving it).
PLANNED_DAYS: dict[StageKind, float] = {
    StageKind.RECRUITER_SCREEN: 5.0,
    StageKind.WRITTEN_ASSESSMENT: 7.0,
    StageKind.HIRING_MANAGER: 7.0,
    StageKind.PEER: 7.0,
    StageKind.PANEL: 7.0,
    StageKind.EXECUTIVE: 7.0,
    StageKind.INTERVIEW: 7.0,
    StageKind.REFERENCES: 10.0,
}

#: Moves that enter the stage they go to.
ENTERING = frozenset({Action.OPEN, Action.ADVANCE, Action.MOVE_TO_REFERENCES})
#: Moves that leave a stage forward (an offer passes the reference check, the last stage).
PASSING = frozenset({Action.ADVANCE, Action.MOVE_TO_REFERENCES, Action.MAKE_OFFER})

#: Upper bounds (exclusive, in days) of the open requisitions' age buckets; the last
#: bucket has none.
AGE_BOUNDS: tuple[int, ...] = (30, 60, 90)


# --- the stage axis ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StageColumn:
    """One row of a report's stage axis: a stage of one family, or a kind of stage."""

    key: str
    label: str
    kind: StageKind | None
    planned_days: float | None


def _planned(kind: StageKind | None, planned: Mapping[StageKind, float] | None) -> float | None:
    if kind is None:
        return None
    return (planned or PLANNED_DAYS).get(kind)


def stage_columns(
    plans: Sequence[PipelinePlan], planned: Mapping[StageKind, float] | None = None
) -> tuple[StageColumn, ...]:
    """The stage axis: one family's stages in plan order, or (several families, or none)
    the kinds of stage their plans have, in :data:`KIND_ORDER`."""
    if len(plans) == 1:
        return tuple(
            StageColumn(stage.id, stage.name, stage.kind, _planned(stage.kind, planned))
            for stage in plans[0].stages
        )
    kinds = {stage.kind for plan in plans for stage in plan.stages}
    return tuple(
        StageColumn(kind.value, KIND_LABELS[kind], kind, _planned(kind, planned))
        for kind in KIND_ORDER
        if kind in kinds
    )


def by_kind(plans: Sequence[PipelinePlan]) -> bool:
    """Whether a report over these plans lists kinds of stage rather than stages."""
    return len(plans) != 1


def kind_keys(plans: Iterable[PipelinePlan]) -> dict[str, dict[str, StageKind]]:
    """For each family, its stage ids' kinds: what the SQL groups stages of several
    families by."""
    return {plan.family_id: {stage.id: stage.kind for stage in plan.stages} for plan in plans}


def ordered(columns: Sequence[StageColumn], keys: Iterable[str]) -> list[StageColumn]:
    """``columns`` followed by a column for each key the data has and the plan lacks (a
    stage the ladder no longer has: its id still says which)."""
    known = {column.key for column in columns}
    extra = sorted({key for key in keys if key not in known})
    return [*columns, *(StageColumn(key, key, None, None) for key in extra)]


# --- the funnel ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MoveCount:
    """How many moves of one kind the database counted: ``action`` out of ``from_key`` (a
    stage key, None for opening) into ``to_key``, with the decline reason for declines."""

    action: Action
    from_key: str | None
    to_key: str
    reason: str | None
    count: int


@dataclass(frozen=True, slots=True)
class FunnelStage:
    column: StageColumn
    entered: int
    passed: int
    declined: int
    withdrawn: int
    #: Declines at this stage by reason, most first.
    declines: tuple[tuple[str, int], ...] = ()

    @property
    def pass_rate(self) -> Estimate:
        """The pass-through rate: passed over entered, with its interval."""
        return rate(min(self.passed, self.entered), self.entered)


@dataclass(frozen=True, slots=True)
class Funnel:
    stages: tuple[FunnelStage, ...]
    applications: int
    offers: int
    hires: int
    withdrawn: int
    declined: int
    #: Every decline by stage and reason: (stage label, reason, count).
    declines: tuple[tuple[str, str, int], ...] = field(default=())

    @property
    def empty(self) -> bool:
        return self.applications == 0


def _reason_order(item: tuple[str, int]) -> tuple[int, int, str]:
    listed = [r.value for r in DeclineReason]
    position = listed.index(item[0]) if item[0] in listed else len(listed)
    return (-item[1], position, item[0])


def funnel(columns: Sequence[StageColumn], moves: Iterable[MoveCount]) -> Funnel:
    """The funnel from the counted moves: per stage how many entered, passed (left it
    forward, or got an offer at the last stage), were declined and withdrew there."""
    entered: dict[str, int] = defaultdict(int)
    passed: dict[str, int] = defaultdict(int)
    withdrawn: dict[str, int] = defaultdict(int)
    declines: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    applications = offers = hires = 0
    for move in moves:
        if move.action in ENTERING:
            entered[move.to_key] += move.count
        if move.action in PASSING and move.from_key is not None:
            passed[move.from_key] += move.count
        if move.action is Action.OPEN:
            applications += move.count
        elif move.action is Action.MAKE_OFFER:
            offers += move.count
        elif move.action is Action.HIRE:
            hires += move.count
        elif move.action is Action.WITHDRAW:
            withdrawn[move.to_key] += move.count
        elif move.action is Action.DECLINE:
            declines[move.to_key][move.reason or DeclineReason.OTHER.value] += move.count
    keys = set(entered) | set(passed) | set(withdrawn) | set(declines)
    stages = []
    listed: list[tuple[str, str, int]] = []
    for column in ordered(columns, keys):
        reasons = tuple(sorted(declines[column.key].items(), key=_reason_order))
        stages.append(
            FunnelStage(
                column,
                entered=entered[column.key],
                passed=passed[column.key],
                declined=sum(n for _, n in reasons),
                withdrawn=withdrawn[column.key],
                declines=reasons,
            )
        )
        listed.extend((column.label, reason, n) for reason, n in reasons)
    return Funnel(
        stages=tuple(stages),
        applications=applications,
        offers=offers,
        hires=hires,
        withdrawn=sum(withdrawn.values()),
        declined=sum(s.declined for s in stages),
        declines=tuple(listed),
    )


def reason_label(reason: str) -> str:
    try:
        return DeclineReason(reason).label
    except ValueError:
        return reason


# --- time in stage -------------------------------------------------------------------


def median_positions(n: int) -> tuple[int, int]:
    """The 1-based positions whose mean is the median of ``n`` sorted values (the same
    one twice for odd ``n``): what the SQL picks with ROW_NUMBER."""
    return (n + 1) // 2, (n + 2) // 2


def p90_position(n: int) -> int:
    """The nearest-rank 90th percentile's 1-based position: ceil(0.9 n)."""
    return (9 * n + 9) // 10


@dataclass(frozen=True, slots=True)
class Durations:
    """Days spent, over the ``n`` finished spans; None when there are none."""

    n: int
    mean: float | None
    median: float | None
    p90: float | None


NO_DURATIONS = Durations(0, None, None, None)


@dataclass(frozen=True, slots=True)
class StageTime:
    column: StageColumn
    durations: Durations
    #: Applications in the stage now (their time there is not finished).
    ongoing: int

    @property
    def over_plan(self) -> bool | None:
        """Whether the median is longer than planned; None without both."""
        planned = self.column.planned_days
        if planned is None or self.durations.median is None:
            return None
        return self.durations.median > planned


def stage_times(
    columns: Sequence[StageColumn],
    durations: Mapping[str, Durations],
    ongoing: Mapping[str, int],
) -> tuple[StageTime, ...]:
    """A row per stage (plan order), with what the database measured of each."""
    keys = set(durations) | set(ongoing)
    return tuple(
        StageTime(column, durations.get(column.key, NO_DURATIONS), ongoing.get(column.key, 0))
        for column in ordered(columns, keys)
    )


# --- sources -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SourceCounts:
    source: str
    applications: int
    interviewed: int
    offers: int
    hires: int

    @property
    def label(self) -> str:
        try:
            return ApplicationSource(self.source).label
        except ValueError:
            return self.source

    @property
    def hire_rate(self) -> Estimate:
        """Applications from this source that ended in a hire."""
        return rate(min(self.hires, self.applications), self.applications)

    @property
    def interview_rate(self) -> Estimate:
        return rate(min(self.interviewed, self.applications), self.applications)


def sources(rows: Iterable[SourceCounts]) -> tuple[SourceCounts, ...]:
    """Every source in the order of :class:`ApplicationSource` (those without
    applications too, with zeros), then any other the data has."""
    found = {row.source: row for row in rows}
    listed = [s.value for s in ApplicationSource]
    out = [found.get(s, SourceCounts(s, 0, 0, 0, 0)) for s in listed]
    out.extend(found[s] for s in sorted(found) if s not in listed)
    return tuple(out)


# --- open requisitions by age -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AgeBucket:
    index: int
    low: int
    high: int | None  # exclusive; None: no upper bound
    count: int

    @property
    def label(self) -> str:
        if self.high is None:
            return f"{self.low} days or more"
        return f"{self.low} to {self.high - 1} days"


def age_buckets(
    counts: Mapping[int, int], bounds: Sequence[int] = AGE_BOUNDS
) -> tuple[AgeBucket, ...]:
    """Every bucket (empty ones too) from the counts per bucket index the database gave
    (index i: ``bounds[i-1] <= days < bounds[i]``)."""
    if list(bounds) != sorted(set(bounds)) or any(b <= 0 for b in bounds):
        raise ValueError(f"age bounds must be increasing positive days: {bounds}")
    lows = (0, *bounds)
    highs: tuple[int | None, ...] = (*bounds, None)
    return tuple(
        AgeBucket(i, low, high, counts.get(i, 0))
        for i, (low, high) in enumerate(zip(lows, highs, strict=True))
    )


def bucket_of(days: float, bounds: Sequence[int] = AGE_BOUNDS) -> int:
    """The bucket index of an age (what the SQL's CASE computes)."""
    for index, bound in enumerate(bounds):
        if days < bound:
            return index
    return len(bounds)


__all__ = [
    "AGE_BOUNDS",
    "ENTERING",
    "KIND_LABELS",
    "KIND_ORDER",
    "NO_DURATIONS",
    "PASSING",
    "PLANNED_DAYS",
    "AgeBucket",
    "Durations",
    "Funnel",
    "FunnelStage",
    "MoveCount",
    "SourceCounts",
    "StageColumn",
    "StageTime",
    "age_buckets",
    "bucket_of",
    "by_kind",
    "funnel",
    "kind_keys",
    "median_positions",
    "ordered",
    "p90_position",
    "reason_label",
    "sources",
    "stage_columns",
    "stage_times",
]
