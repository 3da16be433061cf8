"""Two years of plausible hiring history, generated deterministically, for the demo and
the reports' benchmark.

Given a seed, a "today" and a number of applications, :func:`generate_history` writes
requisitions over the families and levels of the shipped ladder, and for each of their
applications what the services would have written along the way:

* the candidate and the application (from the careers site, a referral, a recruiter's
  sourcing, an agency…), with its stage transitions moving through the family's plan
  (time in each stage drawn around :data:`PLANNED_DAYS`), declines at every stage with a
  listed reason, withdrawals, the screen and reference outcomes, the written assessment's
  sent and received times;
* interviews with interviewers from a pool of demo interviewers with distinct habits
  (:data:`POOL`: one lenient, one harsh, one who is often late with scorecards), and their
  submitted scorecards: every criterion of the stage (the same criteria as
  :func:`app.services.interviews.stage_criteria`) rated or marked not assessed, in the
  scorecard's ``ratings`` JSON and as :class:`~app.models.ScorecardRating` rows alike;
* the debrief's decision (a few hires leveled one above or below the requisition, with a
  rationale; a no-hire declines with reason "interviews"), the offer (some needing an
  admin's approval; most accepted, some declined with a reason), and the hire: the
  team member's account (no password: it cannot sign in; marked ``is_demo``) with the
  offer's level, the hiring manager as manager, a ``hired`` level span from the start
  date;
* later promotions (an approved packet with its sections, and a ``promoted`` span from
  its effective date), likelier and sooner for people who were stronger at hiring, and
  a few people who left (``users.left_on``).

Every candidate has a hidden ability that drives the interviewers' ratings (with each
interviewer's bias and noise), how far the application goes, and, once hired, promotions
and leaving: the quality-of-hire report then shows a visible, noisy relation, as real
data would.

The rows are written by bulk inserts with ids chosen here (from the tables' current
maximum), in batches: no service is called per row, and no audit row is written per row
(one ``demo.history`` event records what was generated). The same seed, today, size and
starting database give the same rows on SQLite and PostgreSQL: nothing depends on the
database, the clock or Python's hash seed.
"""

from __future__ import annotations

import hashlib
import math
import random
import time
import unicodedata
import zlib
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import JSON, Table, func, insert, select, text

from app.db import db
from app.ladder_access import get_ladder
from app.models import (
    Application,
    Candidate,
    HiringDecision,
    Interview,
    InterviewInterviewer,
    LevelSpan,
    Offer,
    PromotionPacket,
    PromotionSection,
    Requisition,
    Role,
    Scorecard,
    ScorecardRating,
    StageTransition,
    User,
    UserRole,
)
from app.services import accounts, audit
from app.services.passwords import hash_password
from app.services.transactions import mark_written
from ladder.model import Ladder, Level
from ladder.resolve import SpecialtyNotApplicableError, applicable_specialty, specialty_for
from ladder.resolve import track_of as ladder_track_of
from pipelines.applications import Action, ApplicationStatus, DeclineReason
from pipelines.focus import family_focus
from pipelines.level_history import LevelReason
from pipelines.leveling import Outcome, Step, level_options
from pipelines.offers import OfferDeclineReason, OfferStatus
from pipelines.plan import PipelinePlan, PlannedStage, StageKind, build_plan
from pipelines.privacy import CURRENT_CONSENT_VERSION
from pipelines.promotions import PacketStatus, PacketTemplate, build_template
from pipelines.requisitions import RequisitionStatus
from pipelines.scorecards import NOT_ASSESSED, Rating, criteria_for
from pipelines.search import document
from pipelines.sources import ApplicationSource

#: How long an application usually spends in a stage of each kind, in days: the middle of
#: the generated durations (the reports compare the time in stage with it).
PLANNED_DAYS: dict[StageKind, float] = {
    StageKind.RECRUITER_SCREEN: 4,
    StageKind.WRITTEN_ASSESSMENT: 6,
    StageKind.HIRING_MANAGER: 5,
    StageKind.PEER: 6,
    StageKind.PANEL: 7,
    StageKind.EXECUTIVE: 5,
    StageKind.INTERVIEW: 6,
    StageKind.REFERENCES: 6,
}

#: The years of history before today.
YEARS = 2
#: Rows buffered before they are written.
BATCH_ROWS = 20_000


@dataclass(frozen=True)
class PoolMember:
    """A demo interviewer (or hiring manager) of the history, and their habits."""

    email: str
    name: str
    roles: tuple[Role, ...]
    level_id: str
    manager_email: str
    #: Added to every rating they give, in points (lenient > 0, harsh < 0).
    bias: float
    #: How often their scorecard comes in after the due day.
    late: float
    #: Whether they sit on peer and panel interviews.
    interviews: bool = True

    @property
    def habit(self) -> str:
        """Their habit, in words (for the demo's sign-in help)."""
        if not self.interviews:
            return "hiring manager of the non-CSM requisitions"
        if self.late > 0.3:
            return "interviewer, often late with scorecards"
        return "interviewer, lenient" if self.bias > 0 else "interviewer, harsh"


POOL: tuple[PoolMember, ...] = (
    PoolMember(
        "leo.lindqvist@example.com",
        "Leo Lindqvist",
        (Role.INTERVIEWER, Role.TEAM_MEMBER),
        "senior-csm",
        "manager@example.com",
        bias=0.75,
        late=0.04,
    ),
    PoolMember(
        "hannah.brandt@example.com",
        "Hannah Brandt",
        (Role.INTERVIEWER, Role.TEAM_MEMBER),
        "staff-csm",
        "manager@example.com",
        bias=-0.75,
        late=0.04,
    ),
    PoolMember(
        "theo.marchetti@example.com",
        "Theo Marchetti",
        (Role.INTERVIEWER, Role.TEAM_MEMBER),
        "csa",
        "manager@example.com",
        bias=0.0,
        late=0.65,
    ),
    PoolMember(
        "dara.quinn@example.com",
        "Dara Quinn",
        (Role.HIRING_MANAGER, Role.INTERVIEWER, Role.TEAM_MEMBER),
        "senior-manager-csm",
        "admin@example.com",
        bias=-0.15,
        late=0.08,
        interviews=False,
    ),
)

#: The habits of the demo users who interview in the history too.
DEMO_HABITS: dict[str, tuple[float, float]] = {
    "interviewer@example.com": (0.0, 0.06),
    "manager@example.com": (0.15, 0.1),
    "admin@example.com": (0.0, 0.15),
}

# Candidate names: none of them is a name of the scripted demo (searches and browser
# tests look those up by name).
FIRST = (
    "Aiko", "Amara", "Anders", "Aurelio", "Beatriz", "Bilal", "Camille", "Chidi", "Cyrus",
    "Daria", "Emeka", "Esther", "Farah", "Felix", "Freya", "Gabriel", "Hugo", "Ilse", "Imani",
    "Isak", "Jonas", "Julia", "Kasia", "Keanu", "Laila", "Luca", "Maja", "Marek", "Nadia",
    "Nikolai", "Olga", "Oskar", "Paula", "Quentin", "Rania", "Rohan", "Sanne", "Sefa",
    "Signe", "Stefan", "Tala", "Ulla", "Viktor", "Wanjiru", "Xavier", "Yara", "Yusuf", "Zeno",
)  # fmt: skip
LAST = (
    "Abara", "Andersen", "Bakker", "Barros", "Berg", "Castillo", "Dahl", "Dubois", "Eriksen",
    "Ferreira", "Gallo", "Horvat", "Ibsen", "Jansen", "Kaur", "Kowalski", "Laine", "Lopes",
    "Moreau", "Nakamura", "Nyberg", "Oduya", "Ortiz", "Pereira", "Petrov", "Quist",
    "Rahman", "Sato", "Schmidt", "Silva", "Sousa", "Svensson", "Tanaka", "Torres", "Umar",
    "Varga", "Vogel", "Weber", "Yilmaz", "Zielinski",
)  # fmt: skip
REGIONS = ("EMEA", "North America", "DACH", "UK and Ireland", "APAC", "Nordics")
LOCATIONS = ("Berlin", "Amsterdam", "London", "Remote, EMEA", "Dublin", "Stockholm")

#: Where applications come from: (source, weight, the mean ability of its candidates).
SOURCES: tuple[tuple[ApplicationSource, float, float], ...] = (
    (ApplicationSource.CAREERS_SITE, 0.40, -0.1),
    (ApplicationSource.SOURCED, 0.25, 0.15),
    (ApplicationSource.REFERRAL, 0.15, 0.45),
    (ApplicationSource.AGENCY, 0.12, 0.05),
    (ApplicationSource.OTHER, 0.08, -0.25),
)

#: Requisition levels and how often each is hired for.
LEVEL_WEIGHTS: dict[str, float] = {
    "associate-csm": 2,
    "csm": 5,
    "senior-csm": 5,
    "staff-csm": 2,
    "cse": 2,
    "senior-cse": 2,
    "staff-cse": 1,
    "manager-csm": 1.5,
    "senior-manager-csm": 0.7,
    "director-csm": 0.5,
    "csa": 2,
    "senior-csa": 2,
    "staff-csa": 1,
    "director-cs": 0.5,
    "senior-director-cs": 0.2,
}

WITHDRAW_REASONS = (
    "Accepted another offer.",
    "Decided to stay with the current employer.",
    "The relocation did not work out.",
    "No longer looking for a new role.",
    "The timing is not right for the family.",
)
SCREEN_DECLINES = (
    (DeclineReason.EXPERIENCE, 0.4),
    (DeclineReason.SKILLS, 0.25),
    (DeclineReason.LOCATION, 0.12),
    (DeclineReason.COMPENSATION, 0.15),
    (DeclineReason.NO_RESPONSE, 0.08),
)
OFFER_DECLINES = (
    (OfferDeclineReason.COMPENSATION, 0.35),
    (OfferDeclineReason.OTHER_OFFER, 0.25),
    (OfferDeclineReason.COUNTER_OFFER, 0.2),
    (OfferDeclineReason.TIMING, 0.1),
    (OfferDeclineReason.PERSONAL, 0.1),
)
NOTES = {
    True: (
        "Specific, recent examples for most criteria; clear on how they measured success.",
        "Walked through a real success plan and the trade-offs behind it.",
        "Strong on the customer side; asked good questions about the team.",
    ),
    False: (
        "Examples stayed general; little evidence at the level's scope.",
        "Could not walk through a renewal at risk in any depth.",
        "Good energy, but the answers did not match the level's requirements.",
    ),
}
EVIDENCE = (
    "Led the quarterly business reviews of the region's largest accounts; two expanded.",
    "Wrote the onboarding runbook the team uses and coached the last three hires on it.",
    "Turned an at-risk account around with a weekly cadence and an executive sponsor.",
    "Ran the customer workshops of the platform migration across two quarters.",
)


@dataclass
class HistoryPeople:
    """Who the history's work is done by (ids of existing users)."""

    recruiter_id: int
    admin_id: int
    #: The requisitions' hiring managers: the CSM one, and the one for the other families
    #: and for manager levels.
    csm_manager_id: int
    other_manager_id: int
    #: Peer and panel interviewers: (user id, bias, how often late).
    panel: list[tuple[int, float, float]]
    #: bias and lateness of every interviewer by id.
    habits: dict[int, tuple[float, float]]
    #: Users holding each level (the executive interview is conducted by a level).
    by_level: dict[str, list[int]]
    #: People who refer candidates (never the demo's team member: her referrals are scripted).
    referrers: list[int]


@dataclass
class HistoryResult:
    rows: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0
    #: The processor time this process spent (the database server's is not counted).
    cpu_seconds: float = 0.0
    digest: str = ""

    @property
    def applications(self) -> int:
        return self.rows["applications"]


def ensure_people(password: str | None) -> HistoryPeople:
    """The history's people: the demo users (they must exist) and the interviewer pool,
    created when missing (``is_demo``, with ``password``: the demo's, or None)."""
    by_email: dict[str, User] = {}
    for email in (
        "admin@example.com",
        "recruiter@example.com",
        "manager@example.com",
        "interviewer@example.com",
    ):
        user = accounts.get_user_by_email(email)
        if user is None:
            raise RuntimeError(f"the demo user {email} is missing: load the demo users first")
        by_email[email] = user
    shared_hash: str | None = None
    for member in POOL:
        user = accounts.get_user_by_email(member.email)
        if user is None:
            user = accounts.create_user(
                member.email, member.name, None, member.roles, actor=None, channel="system",
                is_demo=True,
            )  # fmt: skip
            if password is not None:
                # One hash of the published demo password for the pool (hashing is slow
                # by design, and these accounts share a password anyway).
                shared_hash = shared_hash or hash_password(password)
                user.password_hash = shared_hash
        if user.level_id is None:
            manager = accounts.get_user_by_email(member.manager_email)
            user.level_id = member.level_id
            user.manager_id = manager.id if manager else None
            user.level_since = date(2023, 4, 1)
        by_email[member.email] = user
    db.session.commit()
    habits = {by_email[e].id: h for e, h in DEMO_HABITS.items()}
    habits |= {by_email[m.email].id: (m.bias, m.late) for m in POOL}
    panel = [(by_email[m.email].id, m.bias, m.late) for m in POOL if m.interviews] + [
        (by_email["interviewer@example.com"].id, *DEMO_HABITS["interviewer@example.com"])
    ]
    by_level: dict[str, list[int]] = {}
    for user_id, level_id in db.session.execute(
        select(User.id, User.level_id)
        .where(User.active.is_(True), User.level_id.is_not(None))
        .order_by(User.id)
    ):
        by_level.setdefault(level_id, []).append(user_id)
    return HistoryPeople(
        recruiter_id=by_email["recruiter@example.com"].id,
        admin_id=by_email["admin@example.com"].id,
        csm_manager_id=by_email["manager@example.com"].id,
        other_manager_id=by_email["dara.quinn@example.com"].id,
        panel=panel,
        habits=habits,
        by_level=by_level,
        referrers=[by_email[m.email].id for m in POOL] + [by_email["interviewer@example.com"].id],
    )


# --- small helpers ---------------------------------------------------------------------


def _fraction(key: str) -> float:
    """A stable number in [0, 1) for a string (not Python's salted hash)."""
    return zlib.crc32(key.encode()) / 2**32


def _slug(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return "".join(c for c in ascii_name.lower() if c.isalnum())


def _weighted(rng: random.Random, pairs: Sequence[tuple[Any, float]]) -> Any:
    total = sum(weight for _, weight in pairs)
    pick = rng.random() * total
    for value, weight in pairs:
        pick -= weight
        if pick < 0:
            return value
    return pairs[-1][0]


def _sigmoid(x: float) -> float:
    return 1 / (1 + math.exp(-x))


def settle_requisition(
    gen: Any, stories: list[Any], hires: list[Any], headcount: int, last_open: datetime
) -> RequisitionStatus:
    """Where a requisition stands at the cut-off: filled with its headcount-th hire (whoever
    is still in process then is declined, "position filled"), closed when everything ended
    long ago, on hold when quiet, else open."""
    if len(hires) >= headcount:
        filled_at = hires[headcount - 1].hired_at
        assert filled_at is not None
        hired = {s.index for s in hires[:headcount]}
        for story in stories:
            if story.index in hired:
                continue
            ended = story.ended_at
            if ended is None or ended > filled_at:
                gen.cut(story, filled_at)
        return RequisitionStatus.FILLED
    if all(s.ended_at is not None for s in stories) and last_open < gen.cutoff - timedelta(days=60):
        return RequisitionStatus.CLOSED
    if last_open < gen.cutoff - timedelta(days=150):
        return RequisitionStatus.ON_HOLD
    return RequisitionStatus.OPEN


def requisition_title(
    ladder: Ladder, level: Level, requisition: dict[str, Any], rng: random.Random
) -> str:
    """ "Senior CSM, Public Sector (EMEA, Mar 2026)": the level, its specialty, a region."""
    specialty = requisition["specialty_id"]
    specialty_title = ladder.family(level.family).specialty(specialty).title if specialty else None
    title = level.title + (f", {specialty_title}" if specialty_title else "")
    return title + f" ({rng.choice(REGIONS)}, {requisition['created_at']:%b %Y})"


def _working_hour(
    moment: datetime, rng: random.Random, not_before: datetime | None = None
) -> datetime:
    """The same day at a working hour (UTC), moved off a weekend to the Monday, and to a
    later day if that hour would come before ``not_before``."""
    day = moment.date()
    while True:
        while day.weekday() >= 5:
            day += timedelta(days=1)
        hour = datetime(
            day.year, day.month, day.day, rng.randint(8, 16), rng.choice((0, 30)), tzinfo=UTC
        )
        if not_before is None or hour >= not_before:
            return hour
        day += timedelta(days=1)


def _days(rng: random.Random, planned: float) -> timedelta:
    """A stage's duration around its planned days (log-normal, a long tail)."""
    return timedelta(days=planned * math.exp(rng.gauss(0, 0.45)) * 0.92)


_POINTS_RATING = {1: Rating.STRONG_NO, 2: Rating.NO, 3: Rating.YES, 4: Rating.STRONG_YES}


@dataclass(frozen=True)
class _Criterion:
    id: str
    weight: float  # how much the candidate's ability shows in it
    unassessed: float  # how often it is marked not assessed


@dataclass
class _Card:
    interviewer_id: int
    ratings: dict[str, str]
    recommendation: Rating
    notes: str
    submitted_at: datetime | None


@dataclass
class _Interview:
    stage_id: str
    starts_at: datetime
    duration: int
    interviewer_ids: list[int]
    cards: list[_Card]


@dataclass
class _Move:
    action: Action
    at: datetime
    actor_id: int | None
    from_status: ApplicationStatus | None
    from_stage: str | None
    to_status: ApplicationStatus
    to_stage: str
    reason: str | None = None
    note: str | None = None
    overridden: list[str] = field(default_factory=list)


@dataclass
class _Story:
    """One application's life, before it is written."""

    index: int
    opened_at: datetime
    source: ApplicationSource
    referrer_id: int | None
    ability: float
    first: str
    last: str
    moves: list[_Move] = field(default_factory=list)
    interviews: list[_Interview] = field(default_factory=list)
    screen_passed: bool | None = None
    assessment_sent_at: datetime | None = None
    assessment_received_at: datetime | None = None
    references_passed: bool | None = None
    decline_reason: DeclineReason | None = None
    decline_note: str | None = None
    decision: dict[str, Any] | None = None
    offer: dict[str, Any] | None = None
    hired_at: datetime | None = None
    start_date: date | None = None

    @property
    def status(self) -> ApplicationStatus:
        return self.moves[-1].to_status

    @property
    def stage_id(self) -> str:
        return self.moves[-1].to_stage

    @property
    def ended_at(self) -> datetime | None:
        return self.moves[-1].at if self.status.is_terminal else None


# --- the generator ---------------------------------------------------------------------


class _Generator:
    def __init__(self, seed: int, today: date, people: HistoryPeople, ladder: Ladder) -> None:
        self.rng = random.Random(seed)  # noqa: S311 - reproducible demo data, not secrets
        self.today = today
        self.cutoff = datetime(today.year, today.month, today.day, tzinfo=UTC)
        self.people = people
        self.ladder = ladder
        self.version = ladder.version
        self._plans: dict[str, PipelinePlan] = {}
        self._criteria: dict[tuple[str, str | None, str], tuple[_Criterion, ...]] = {}
        self._templates: dict[tuple[str, str, str | None], PacketTemplate] = {}
        self._tracks: dict[str, list[str]] = {}

    # ladder lookups, cached
    def plan(self, level_id: str) -> PipelinePlan:
        family = self.ladder.levels_by_id[level_id].family
        if family not in self._plans:
            self._plans[family] = build_plan(self.ladder, family)
        return self._plans[family]

    def criteria(
        self, level_id: str, specialty_id: str | None, stage: PlannedStage
    ) -> tuple[_Criterion, ...]:
        key = (level_id, specialty_id, stage.id)
        if key not in self._criteria:
            family = self.ladder.levels_by_id[level_id].family
            found = criteria_for(
                self.ladder,
                level_id,
                specialty_id,
                stage.kind,
                stage_id=stage.id,
                focus=family_focus(self.ladder, family),
            )
            self._criteria[key] = tuple(
                _Criterion(
                    c.id,
                    weight=0.3 + 1.0 * _fraction(c.id),
                    unassessed=0.02 + 0.25 * _fraction(c.id + "/na") ** 2,
                )
                for c in found
            )
        return self._criteria[key]

    def specialty(self, level_id: str) -> str | None:
        family = self.ladder.families_by_id[self.ladder.levels_by_id[level_id].family]
        if self.rng.random() < 0.55:
            return None
        options = []
        for specialty in family.specialties:
            try:
                specialty_for(self.ladder, level_id, specialty.id)
            except SpecialtyNotApplicableError:
                continue
            options.append(specialty.id)
        return self.rng.choice(options) if options else None

    def track(self, level_id: str) -> list[str]:
        if level_id not in self._tracks:
            self._tracks[level_id] = [level.id for level in ladder_track_of(self.ladder, level_id)]
        return self._tracks[level_id]

    def next_level(self, level_id: str) -> str | None:
        ids = self.track(level_id)
        at = ids.index(level_id)
        return ids[at + 1] if at + 1 < len(ids) else None

    def rank(self, level_id: str) -> int:
        """How far up its track a level is (0 at the bottom), plus 2 for manager tracks."""
        return self.track(level_id).index(level_id) + (2 if _leads(level_id) else 0)

    def template(self, source: str, target: str, specialty: str | None) -> PacketTemplate:
        key = (source, target, specialty)
        if key not in self._templates:
            self._templates[key] = build_template(
                self.ladder,
                source,
                target,
                specialty,
                applicable_specialty(self.ladder, target, specialty),
            )
        return self._templates[key]

    # -- one application ----------------------------------------------------------------

    def interviewers(self, stage: PlannedStage, manager_id: int) -> list[int]:
        rng = self.rng
        pool = [member[0] for member in self.people.panel]
        if stage.kind is StageKind.HIRING_MANAGER:
            return [manager_id]
        if stage.kind is StageKind.EXECUTIVE:
            holders = self.people.by_level.get(stage.level or "", [])
            return [rng.choice(holders) if holders else self.people.admin_id]
        if stage.kind is StageKind.PANEL:
            return [manager_id, *rng.sample(pool, 2)]
        return [rng.choice(pool)]

    def card(
        self,
        criteria: Sequence[_Criterion],
        interviewer_id: int,
        ability: float,
        interview_end: datetime,
    ) -> _Card:
        rng = self.rng
        bias, late = self.people.habits.get(interviewer_id, (0.0, 0.05))
        ratings: dict[str, str] = {}
        points: list[int] = []
        for criterion in criteria:
            if rng.random() < criterion.unassessed:
                ratings[criterion.id] = NOT_ASSESSED.value
                continue
            x = 2.5 + criterion.weight * 0.8 * ability + bias + rng.gauss(0, 0.65)
            mark = min(4, max(1, round(x)))
            ratings[criterion.id] = _POINTS_RATING[mark].value
            points.append(mark)
        overall = 2.5 + 0.85 * ability + bias + rng.gauss(0, 0.55)
        if points:
            overall = 0.5 * overall + 0.5 * (sum(points) / len(points)) + rng.gauss(0, 0.2)
        recommendation = _POINTS_RATING[min(4, max(1, round(overall)))]
        if rng.random() < late:
            delay = timedelta(days=rng.uniform(2.2, 9), hours=rng.uniform(0, 6))
        else:
            delay = timedelta(hours=rng.uniform(0.3, 20))
        return _Card(
            interviewer_id,
            ratings,
            recommendation,
            rng.choice(NOTES[recommendation.is_positive]),
            interview_end + delay,
        )

    def story(
        self,
        index: int,
        opened_at: datetime,
        requisition: dict[str, Any],
    ) -> _Story:
        rng = self.rng
        source = _weighted(rng, [(s, w) for s, w, _ in SOURCES])
        mean = next(m for s, _, m in SOURCES if s is source)
        story = _Story(
            index=index,
            opened_at=opened_at,
            source=source,
            referrer_id=rng.choice(self.people.referrers)
            if source is ApplicationSource.REFERRAL
            else None,
            ability=rng.gauss(mean, 1.0),
            first=rng.choice(FIRST),
            last=rng.choice(LAST),
        )
        recruiter = self.people.recruiter_id
        manager = requisition["hiring_manager_id"]
        plan = self.plan(requisition["level_id"])
        opener = (
            None
            if source is ApplicationSource.CAREERS_SITE
            else story.referrer_id
            if source is ApplicationSource.REFERRAL
            else recruiter
        )
        story.moves.append(
            _Move(
                Action.OPEN, opened_at, opener, None, None, ApplicationStatus.ACTIVE, plan.first.id
            )
        )
        last_interview = plan.interview_stages[-1].id if plan.interview_stages else None
        a = story.ability
        at = opened_at
        for stage in plan.stages:
            duration = _days(rng, PLANNED_DAYS[stage.kind])
            leave_at = at + duration
            if rng.random() < 0.03 and stage.kind is not StageKind.REFERENCES:
                when = at + duration * rng.uniform(0.2, 0.9)
                if when < self.cutoff:
                    self.end(story, Action.WITHDRAW, when, recruiter, rng.choice(WITHDRAW_REASONS))
                return story
            if stage.kind is StageKind.RECRUITER_SCREEN:
                if leave_at >= self.cutoff:
                    return story
                passed = rng.random() < _sigmoid(0.9 + 1.1 * a)
                if not passed:
                    reason = _weighted(rng, SCREEN_DECLINES)
                    story.screen_passed = False if reason is not DeclineReason.NO_RESPONSE else None
                    self.decline(story, leave_at, recruiter, reason)
                    return story
                story.screen_passed = True
            elif stage.kind is StageKind.WRITTEN_ASSESSMENT:
                story.assessment_sent_at = at + timedelta(hours=rng.uniform(1, 8))
                received = story.assessment_sent_at + timedelta(days=rng.uniform(1, 5))
                if rng.random() < 0.06:
                    if leave_at + timedelta(days=4) < self.cutoff:
                        self.decline(
                            story,
                            leave_at + timedelta(days=4),
                            recruiter,
                            DeclineReason.NO_RESPONSE,
                        )
                    return story
                if received >= self.cutoff:
                    return story
                story.assessment_received_at = received
                leave_at = max(leave_at, received + timedelta(hours=rng.uniform(4, 40)))
                if leave_at >= self.cutoff:
                    return story
                if rng.random() >= _sigmoid(1.3 + 1.2 * a):
                    self.decline(story, leave_at, recruiter, DeclineReason.ASSESSMENT)
                    return story
            elif stage.uses_scorecards:
                criteria = self.criteria(
                    requisition["level_id"], requisition["specialty_id"], stage
                )
                starts = _working_hour(
                    at + duration * rng.uniform(0.25, 0.6), rng, not_before=at + timedelta(hours=2)
                )
                seats = self.interviewers(stage, manager)
                minutes = stage.duration_minutes or 30
                interview = _Interview(stage.id, starts, minutes, seats, [])
                if starts >= self.cutoff:
                    story.interviews.append(interview)  # scheduled, still to come
                    return story
                end = starts + timedelta(minutes=minutes)
                for seat in seats:
                    card = self.card(criteria, seat, a, end)
                    if card.submitted_at is not None and card.submitted_at >= self.cutoff:
                        card.submitted_at = None  # still owed
                    interview.cards.append(card)
                story.interviews.append(interview)
                if any(card.submitted_at is None for card in interview.cards):
                    return story
                done = max(card.submitted_at for card in interview.cards if card.submitted_at)
                leave_at = max(leave_at, done + timedelta(hours=rng.uniform(2, 30)))
                if leave_at >= self.cutoff:
                    return story
                negative = [c for c in interview.cards if not c.recommendation.is_positive]
                overridden: list[str] = []
                if negative:
                    if len(negative) == 1 and len(seats) > 1 and rng.random() < 0.2:
                        overridden = [stage.id]
                    else:
                        reason = (
                            DeclineReason.INTERVIEWS
                            if rng.random() < 0.85
                            else DeclineReason.SKILLS
                        )
                        if stage.id == last_interview and reason is DeclineReason.INTERVIEWS:
                            note = "The panel's evidence fell short of the level."
                            story.decision = {
                                "outcome": Outcome.NO_HIRE,
                                "level_id": None,
                                "specialty_id": None,
                                "step": None,
                                "rationale": note,
                                "decided_by_id": manager,
                                "decided_at": leave_at,
                            }
                            self.decline(story, leave_at, manager, reason, note)
                        else:
                            self.decline(story, leave_at, recruiter, reason)
                        return story
                if stage.id == last_interview:
                    self.hire_decision(story, requisition, leave_at - timedelta(hours=1))
                    self.move(
                        story,
                        Action.MOVE_TO_REFERENCES,
                        leave_at,
                        manager,
                        plan.references.id,
                        overridden=overridden,
                        reason="Strong everywhere else; the one concern is coachable."
                        if overridden
                        else None,
                    )
                else:
                    self.move(
                        story,
                        Action.ADVANCE,
                        leave_at,
                        manager if overridden else recruiter,
                        plan.stages[stage.position + 1].id,
                        overridden=overridden,
                        reason="Strong everywhere else; the one concern is coachable."
                        if overridden
                        else None,
                    )
                at = leave_at
                continue
            else:  # the reference check
                if leave_at >= self.cutoff:
                    return story
                if rng.random() < 0.03:
                    story.references_passed = False
                    self.decline(
                        story,
                        leave_at,
                        recruiter,
                        DeclineReason.OTHER,
                        "The background check did not confirm the stated experience.",
                    )
                    return story
                story.references_passed = True
                self.offer(story, requisition, leave_at)
                return story
            following = plan.next_after(stage.id)
            assert following is not None
            if following.kind is StageKind.REFERENCES:
                self.move(story, Action.MOVE_TO_REFERENCES, leave_at, manager, following.id)
            else:
                self.move(story, Action.ADVANCE, leave_at, recruiter, following.id)
            at = leave_at
        return story

    def move(
        self,
        story: _Story,
        action: Action,
        at: datetime,
        actor_id: int | None,
        to_stage: str,
        *,
        to_status: ApplicationStatus = ApplicationStatus.ACTIVE,
        reason: str | None = None,
        note: str | None = None,
        overridden: list[str] | None = None,
    ) -> None:
        last = story.moves[-1]
        story.moves.append(
            _Move(
                action,
                at,
                actor_id,
                last.to_status,
                last.to_stage,
                to_status,
                to_stage,
                reason,
                note,
                overridden or [],
            )
        )

    def decline(
        self,
        story: _Story,
        at: datetime,
        actor_id: int,
        reason: DeclineReason,
        note: str | None = None,
    ) -> None:
        story.decline_reason = reason
        story.decline_note = note
        self.move(
            story,
            Action.DECLINE,
            at,
            actor_id,
            story.stage_id,
            to_status=ApplicationStatus.DECLINED,
            reason=reason.value,
            note=note,
        )

    def end(self, story: _Story, action: Action, at: datetime, actor_id: int, reason: str) -> None:
        story.decline_note = reason
        self.move(
            story,
            action,
            at,
            actor_id,
            story.stage_id,
            to_status=ApplicationStatus.WITHDRAWN,
            reason=reason,
        )

    def hire_decision(self, story: _Story, requisition: dict[str, Any], at: datetime) -> None:
        rng = self.rng
        options = {o.step: o.level.id for o in level_options(self.ladder, requisition["level_id"])}
        step = Step.SAME
        rationale = None
        if story.ability > 1.4 and Step.ABOVE in options and rng.random() < 0.4:
            step = Step.ABOVE
            rationale = (
                "Already works at the next level's scope: owns executive relationships and "
                "led a team-wide programme; the panel's evidence matches the level above."
            )
        elif story.ability < 0.8 and Step.BELOW in options and rng.random() < 0.35:
            step = Step.BELOW
            rationale = (
                "Solid on the craft but has not yet owned accounts of this size; hired one "
                "level below with a plan to grow into the requisition's level."
            )
        level_id = options[step]
        story.decision = {
            "outcome": Outcome.HIRE,
            "level_id": level_id,
            "specialty_id": applicable_specialty(
                self.ladder, level_id, requisition["specialty_id"]
            ),
            "step": step,
            "rationale": rationale,
            "decided_by_id": requisition["hiring_manager_id"],
            "decided_at": at,
        }

    def offer(self, story: _Story, requisition: dict[str, Any], at: datetime) -> None:
        rng = self.rng
        decision = story.decision
        assert decision is not None and decision["level_id"] is not None
        manager = requisition["hiring_manager_id"]
        self.move(
            story, Action.MAKE_OFFER, at, manager, story.stage_id, to_status=ApplicationStatus.OFFER
        )
        level_id = decision["level_id"]
        rank = self.rank(level_id)
        needs_approval = rank >= 3 or rng.random() < 0.2
        approved_at = at + timedelta(hours=rng.uniform(3, 40)) if needs_approval else None
        extended_at = (approved_at or at) + timedelta(hours=rng.uniform(1, 20))
        responded_at = extended_at + timedelta(days=rng.uniform(1, 7))
        answered = responded_at < self.cutoff
        accepted = answered and rng.random() < 0.84
        start = (responded_at + timedelta(days=rng.uniform(14, 45))).date()
        start += timedelta(days=(7 - start.weekday()) % 7)  # a Monday
        base = 52_000 + 14_000 * rank + rng.randrange(0, 8) * 1_000
        story.offer = {
            "status": OfferStatus.EXTENDED
            if not answered
            else OfferStatus.ACCEPTED
            if accepted
            else OfferStatus.DECLINED,
            "level_id": level_id,
            "specialty_id": decision["specialty_id"],
            "start_date": start,
            "location": rng.choice(LOCATIONS),
            "currency": "EUR",
            "base_salary": base,
            "bonus": base // 10,
            "needs_approval": needs_approval,
            "approved_by_id": self.people.admin_id if needs_approval else None,
            "approved_at": approved_at,
            "extended_at": extended_at,
            "responded_at": responded_at if answered else None,
            "decline_reason": None,
            "created_by_id": self.people.recruiter_id,
            "created_at": at,
        }
        if not answered:
            return
        if accepted:
            story.hired_at = responded_at + timedelta(hours=rng.uniform(1, 8))
            if story.hired_at >= self.cutoff:
                story.hired_at = responded_at
            story.start_date = start
            self.move(
                story,
                Action.HIRE,
                story.hired_at,
                self.people.recruiter_id,
                story.stage_id,
                to_status=ApplicationStatus.HIRED,
            )
        else:
            reason = _weighted(rng, OFFER_DECLINES)
            story.offer["decline_reason"] = reason
            self.end(
                story,
                Action.WITHDRAW,
                responded_at,
                self.people.recruiter_id,
                f"Declined the offer: {reason.label.lower()}.",
            )

    # -- cutting a story short when the requisition fills --------------------------------

    def cut(self, story: _Story, moment: datetime) -> None:
        """The application was still in process when the requisition filled: declined
        ("position filled") shortly after, at the stage it had reached."""
        if story.offer is not None and story.offer["created_at"] <= moment:
            moment = story.offer["created_at"] - timedelta(minutes=30)
        # An application that came in after the fill is declined within days.
        moment = max(moment, story.opened_at)
        story.moves = [m for m in story.moves if m.at <= moment]
        if not story.moves:
            return
        story.offer = None
        story.hired_at = None
        story.start_date = None
        story.decline_reason = None
        story.decline_note = None
        story.interviews = [i for i in story.interviews if i.starts_at <= moment]
        for interview in story.interviews:
            for card in interview.cards:
                if card.submitted_at is not None and card.submitted_at >= self.cutoff:
                    card.submitted_at = None
        if story.decision is not None and story.decision["decided_at"] > moment:
            story.decision = None
        if story.assessment_sent_at is not None and story.assessment_sent_at > moment:
            story.assessment_sent_at = None
        if story.assessment_received_at is not None and story.assessment_received_at > moment:
            story.assessment_received_at = None
        # The reference check was still running; the screen, if it was never left.
        story.references_passed = None
        if len(story.moves) == 1:
            story.screen_passed = None
        at = moment + timedelta(hours=self.rng.uniform(1, 48))
        if at >= self.cutoff:
            at = moment + (self.cutoff - moment) / 2
        # Interviews still to come are called off by the decline: drop them here.
        story.interviews = [i for i in story.interviews if i.starts_at <= at]
        self.decline(story, at, self.people.recruiter_id, DeclineReason.POSITION_FILLED)


def _leads(level_id: str) -> bool:
    """A level of the management tracks (managers, directors, VPs)."""
    return any(word in level_id for word in ("manager", "director", "vp"))


# --- writing ---------------------------------------------------------------------------

_TABLES: tuple[Table, ...] = (
    User.__table__,
    UserRole.__table__,
    Requisition.__table__,
    Candidate.__table__,
    Application.__table__,
    StageTransition.__table__,
    Interview.__table__,
    InterviewInterviewer.__table__,
    Scorecard.__table__,
    ScorecardRating.__table__,
    HiringDecision.__table__,
    Offer.__table__,
    PromotionPacket.__table__,
    PromotionSection.__table__,
    LevelSpan.__table__,
)
_WITH_IDS = tuple(t for t in _TABLES if "id" in t.c)


class _Writer:
    """Rows buffered per table, written in foreign-key order with ids chosen here."""

    def __init__(self, *, write: bool = True) -> None:
        self.write = write
        # PostgreSQL takes the rows fastest by COPY; SQLite by executemany.
        self.copy = write and db.session.get_bind().dialect.name == "postgresql"
        self.buffers: dict[str, list[dict[str, Any]]] = {t.name: [] for t in _TABLES}
        self.counts: Counter[str] = Counter()
        self.next_id = {
            t.name: (db.session.scalar(select(func.max(t.c.id))) or 0) + 1 for t in _WITH_IDS
        }
        self.buffered = 0
        self.digest = hashlib.sha256()

    def new_id(self, table: str) -> int:
        value = self.next_id[table]
        self.next_id[table] = value + 1
        return value

    def add(self, table: str, row: dict[str, Any]) -> None:
        self.buffers[table].append(row)
        self.buffered += 1

    def maybe_flush(self) -> None:
        """Write the buffers once they are big (between applications, so that every row's
        parents are written with it or before)."""
        if self.buffered >= BATCH_ROWS:
            self.flush()

    def flush(self) -> None:
        for table in _TABLES:
            rows = self.buffers[table.name]
            if not rows:
                continue
            for row in rows:
                # Every row of a table has the same keys, in the same order.
                self.digest.update(repr(tuple(row.values())).encode())
            if self.write:
                if self.copy:
                    _copy(table, rows)
                else:
                    db.session.execute(insert(table), rows)
            self.counts[table.name] += len(rows)
            self.buffers[table.name] = []
        self.buffered = 0

    def finish(self) -> None:
        self.flush()
        if self.write and db.session.get_bind().dialect.name == "postgresql":
            for table in _WITH_IDS:
                db.session.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "  # noqa: S608 - table names of the models
                        f"(SELECT COALESCE(MAX(id), 0) + 1 FROM {table.name}), false)"
                    )
                )


def _copy(table: Table, rows: list[dict[str, Any]]) -> None:
    """``COPY`` the rows into a PostgreSQL table, on the session's connection (in its
    transaction). Values go as the column types would bind them: enums as their value,
    JSON columns as JSON."""
    from psycopg.types.json import Json

    names = list(rows[0])
    columns = [table.c[name] for name in names]
    as_json = [isinstance(column.type, JSON) for column in columns]
    connection = db.session.connection()
    mark_written(connection)
    raw = connection.connection.driver_connection
    statement = f"COPY {table.name} ({', '.join(names)}) FROM STDIN"
    with raw.cursor() as cursor, cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(
                tuple(
                    Json(value) if json and value is not None else value
                    for value, json in zip(row.values(), as_json, strict=True)
                )
            )


def _spread(total: int, parts: int, rng: random.Random) -> list[int]:
    """``total`` split into ``parts`` uneven shares that add up exactly."""
    weights = [rng.uniform(0.4, 1.6) for _ in range(parts)]
    scale = total / sum(weights)
    shares = [int(w * scale) for w in weights]
    for i in range(total - sum(shares)):
        shares[i % parts] += 1
    return shares


def generate_history(
    *,
    seed: int,
    today: date,
    applications: int,
    people: HistoryPeople,
    write: bool = True,
) -> HistoryResult:
    """Write ``applications`` applications of history over the two years before ``today``
    (see the module's docstring) and commit; what was written, counted per table, and a
    digest of every row. ``write=False`` only counts and digests the rows it would write
    (ids chosen from the tables as they are), without writing or committing anything."""
    if applications < 0:
        raise ValueError("the number of applications cannot be negative")
    started, cpu = time.perf_counter(), time.process_time()
    ladder = get_ladder()
    gen = _Generator(seed, today, people, ladder)
    rng = gen.rng
    writer = _Writer(write=write)
    per_requisition = 18
    n_requisitions = max(4, round(applications / per_requisition))
    shares = _spread(applications, n_requisitions, rng)
    span_days = 365 * YEARS
    first_day = gen.cutoff - timedelta(days=span_days)
    levels = [
        (level_id, w) for level_id, w in LEVEL_WEIGHTS.items() if level_id in ladder.levels_by_id
    ]
    # Spread over the two years, and a few opened in the last months (still in process).
    recent = max(2, n_requisitions // 7)
    starts = sorted(
        [rng.uniform(0, span_days - 100) for _ in range(n_requisitions - recent)]
        + [rng.uniform(span_days - 100, span_days - 12) for _ in range(recent)]
    )
    index = 0
    for offset, share in zip(starts, shares, strict=True):
        level_id = _weighted(rng, levels)
        level = ladder.levels_by_id[level_id]
        csm_ic = level.family == "customer-success-management" and not _leads(level_id)
        requisition = {
            "id": writer.new_id("requisitions"),
            "level_id": level_id,
            "specialty_id": gen.specialty(level_id),
            "hiring_manager_id": people.csm_manager_id if csm_ic else people.other_manager_id,
            "created_at": _working_hour(first_day + timedelta(days=offset), rng),
            "headcount": _weighted(rng, [(1, 0.72), (2, 0.22), (3, 0.06)]),
        }
        window = timedelta(days=rng.uniform(45, 110))
        last_open = min(requisition["created_at"] + window, gen.cutoff - timedelta(days=1))
        stories = []
        for _ in range(share):
            opened = requisition["created_at"] + (last_open - requisition["created_at"]) * (
                rng.random() ** 1.3
            )
            opened = min(
                _working_hour(opened + timedelta(days=1), rng), gen.cutoff - timedelta(hours=1)
            )
            stories.append(gen.story(index, opened, requisition))
            index += 1
        stories.sort(key=lambda s: (s.opened_at, s.index))
        # The requisition fills with its headcount-th hire: whoever is still in process
        # then is declined ("position filled"), later offers never happen.
        hires = sorted(
            (s for s in stories if s.hired_at is not None), key=lambda s: (s.hired_at, s.index)
        )
        status = settle_requisition(gen, stories, hires, requisition["headcount"], last_open)
        title = requisition_title(ladder, level, requisition, rng)
        writer.add(
            "requisitions",
            {
                "id": requisition["id"],
                "title": title,
                "level_id": level_id,
                "specialty_id": requisition["specialty_id"],
                "hiring_manager_id": requisition["hiring_manager_id"],
                "recruiter_id": people.recruiter_id,
                "headcount": requisition["headcount"],
                "status": status,
                "ladder_version": gen.version,
                "created_at": requisition["created_at"],
                "published_at": None,
                "posting_intro": None,
                "posting_location": None,
                "posting_remote": False,
                "posting_valid_through": None,
                "version": 1,
            },
        )
        for story in stories:
            _write_story(gen, writer, requisition, story)
            writer.maybe_flush()
    writer.finish()
    if write:
        audit.record(
            "demo.history",
            actor=None,
            channel="system",
            summary={"seed": seed, "today": today.isoformat(), **dict(writer.counts)},
        )
        db.session.commit()
    return HistoryResult(
        rows=writer.counts,
        seconds=time.perf_counter() - started,
        cpu_seconds=time.process_time() - cpu,
        digest=writer.digest.hexdigest()[:16],
    )


def _write_story(
    gen: _Generator, writer: _Writer, requisition: dict[str, Any], story: _Story
) -> None:
    people = gen.people
    rng = gen.rng
    candidate_id = writer.new_id("candidates")
    application_id = writer.new_id("applications")
    name = f"{story.first} {story.last}"
    email = f"{_slug(story.first)}.{_slug(story.last)}.{application_id}@candidates.example.net"
    label = story.source.label
    writer.add(
        "candidates",
        {
            "id": candidate_id,
            "name": name,
            "email": email,
            "source": label,
            "consent_on": story.opened_at.date(),
            "consent_version": CURRENT_CONSENT_VERSION,
            "created_by_id": None
            if story.source is ApplicationSource.CAREERS_SITE
            else people.recruiter_id,
            "created_at": story.opened_at,
            "search_text": document([name, email]),
            "version": 1,
        },
    )
    hired_user_id = writer.new_id("users") if story.hired_at is not None else None
    last = story.moves[-1]
    overridden = sorted({stage for move in story.moves for stage in move.overridden})
    writer.add(
        "applications",
        {
            "id": application_id,
            "candidate_id": candidate_id,
            "requisition_id": requisition["id"],
            "stage_id": last.to_stage,
            "status": last.to_status,
            "entered_stage_at": last.at,
            "overridden": overridden,
            "decline_reason": story.decline_reason,
            "decline_note": story.decline_note,
            "screen_passed": story.screen_passed,
            "assessment_sent_at": story.assessment_sent_at,
            "assessment_received_at": story.assessment_received_at,
            "references_passed": story.references_passed,
            "source": story.source,
            "referrer_id": story.referrer_id,
            "referral_note": "We worked together for three years; I would hire them again."
            if story.referrer_id
            else None,
            "referred_name": name if story.referrer_id else None,
            "candidate_note": None,
            "ladder_version": gen.version,
            "created_at": story.opened_at,
            "hired_user_id": hired_user_id,
            "version": len(story.moves),
        },
    )
    for move in story.moves:
        writer.add(
            "stage_transitions",
            {
                "id": writer.new_id("stage_transitions"),
                "application_id": application_id,
                "action": move.action,
                "actor_id": move.actor_id,
                "at": move.at,
                "from_status": move.from_status,
                "from_stage": move.from_stage,
                "to_status": move.to_status,
                "to_stage": move.to_stage,
                "reason": move.reason,
                "note": move.note,
                "overridden": move.overridden,
            },
        )
    entered = {move.to_stage: move.at for move in reversed(story.moves)}
    for interview in story.interviews:
        interview_id = writer.new_id("interviews")
        writer.add(
            "interviews",
            {
                "id": interview_id,
                "application_id": application_id,
                "stage_id": interview.stage_id,
                "starts_at": interview.starts_at,
                "duration_minutes": interview.duration,
                "location": "Video call",
                # Scheduled a few hours after the application entered the stage.
                "created_at": min(
                    entered[interview.stage_id] + timedelta(hours=3),
                    interview.starts_at - timedelta(hours=1),
                ),
                "ics_sequence": 0,
                "cancelled_at": None,
                "version": 1,
            },
        )
        for seat in interview.interviewer_ids:
            writer.add("interview_interviewers", {"interview_id": interview_id, "user_id": seat})
        for card in interview.cards:
            if card.submitted_at is None:
                continue  # owed: no draft was saved
            card_id = writer.new_id("scorecards")
            writer.add(
                "scorecards",
                {
                    "id": card_id,
                    "interview_id": interview_id,
                    "interviewer_id": card.interviewer_id,
                    "ratings": card.ratings,
                    "recommendation": card.recommendation,
                    "notes": card.notes,
                    "submitted_at": card.submitted_at,
                    "ladder_version": gen.version,
                    "created_at": card.submitted_at - timedelta(minutes=rng.randint(10, 50)),
                    "version": 1,
                },
            )
            for criterion_id, mark in card.ratings.items():
                writer.add(
                    "scorecard_ratings",
                    {
                        "scorecard_id": card_id,
                        "criterion_id": criterion_id,
                        "points": None if mark == NOT_ASSESSED.value else Rating(mark).points,
                    },
                )
    if story.decision is not None:
        writer.add(
            "hiring_decisions",
            {
                "id": writer.new_id("hiring_decisions"),
                "application_id": application_id,
                **story.decision,
                "ladder_version": gen.version,
                "version": 1,
            },
        )
    if story.offer is not None:
        writer.add(
            "offers",
            {
                "id": writer.new_id("offers"),
                "application_id": application_id,
                **story.offer,
                "equity": None,
                "compensation_note": None,
                "response_note": None,
                "ladder_version": gen.version,
                "version": 1,
            },
        )
    if hired_user_id is not None:
        _write_hire(gen, writer, requisition, story, application_id, hired_user_id, name)


def _write_hire(
    gen: _Generator,
    writer: _Writer,
    requisition: dict[str, Any],
    story: _Story,
    application_id: int,
    user_id: int,
    name: str,
) -> None:
    """The new team member's account, level history, promotions and maybe leaving."""
    rng = gen.rng
    people = gen.people
    assert story.offer is not None and story.start_date is not None and story.hired_at
    manager_id = requisition["hiring_manager_id"]
    level_id: str = story.offer["level_id"]
    specialty_id: str | None = story.offer["specialty_id"]
    spans: list[dict[str, Any]] = [
        {
            "level_id": level_id,
            "specialty_id": specialty_id,
            "starts_on": story.start_date,
            "reason": LevelReason.HIRED,
            "application_id": application_id,
            "packet_id": None,
            "recorded_by_id": people.recruiter_id,
            "recorded_at": story.hired_at,
        }
    ]
    left_on: date | None = None
    # Month by month from the start: promotions (likelier for the stronger at hiring,
    # never in the first six months in a level) and leaving (likelier for the weaker).
    a = story.ability
    day = story.start_date
    in_level_since = story.start_date
    while True:
        day += timedelta(days=30)
        if day >= gen.today:
            break
        if rng.random() < 0.016 * math.exp(-0.8 * (a - 1)):
            left_on = day
            break
        target = gen.next_level(level_id)
        months = (day - in_level_since).days / 30
        if target is None or months < 6:
            continue
        if rng.random() < 0.03 * math.exp(2.0 * (a - 1)):
            effective = date(day.year, day.month, 1) + timedelta(days=31)
            effective = date(effective.year, effective.month, 1)
            if effective > gen.today:
                break
            packet_id = _write_packet(
                gen, writer, user_id, manager_id, level_id, specialty_id, target, effective
            )
            specialty_id = applicable_specialty(gen.ladder, target, specialty_id)
            level_id = target
            spans.append(
                {
                    "level_id": level_id,
                    "specialty_id": specialty_id,
                    "starts_on": effective,
                    "reason": LevelReason.PROMOTED,
                    "application_id": None,
                    "packet_id": packet_id,
                    "recorded_by_id": people.admin_id,
                    "recorded_at": datetime(
                        effective.year, effective.month, effective.day, tzinfo=UTC
                    )
                    - timedelta(days=10),
                }
            )
            in_level_since = day = effective
    current = next((s for s in reversed(spans) if s["starts_on"] <= gen.today), None)
    first, last = story.first, story.last
    writer.add(
        "users",
        {
            "id": user_id,
            "email": f"team.{_slug(first)}.{_slug(last)}.{user_id}@example.com",
            "display_name": name,
            "password_hash": None,
            "active": left_on is None,
            "is_demo": True,
            "created_at": story.hired_at,
            "level_id": current["level_id"] if current else None,
            "specialty_id": current["specialty_id"] if current else None,
            "level_since": current["starts_on"] if current else None,
            "manager_id": manager_id,
            "left_on": left_on,
            "must_change_password": False,
            "timezone": None,
            "notification_preferences": {},
            "version": 1,
        },
    )
    writer.add("user_roles", {"user_id": user_id, "role": Role.TEAM_MEMBER})
    for number, span in enumerate(spans):
        following = spans[number + 1] if number + 1 < len(spans) else None
        writer.add(
            "level_history",
            {
                "id": writer.new_id("level_history"),
                "user_id": user_id,
                **span,
                "ends_on": following["starts_on"] - timedelta(days=1) if following else None,
                "note": None,
            },
        )


def _write_packet(
    gen: _Generator,
    writer: _Writer,
    subject_id: int,
    author_id: int,
    source: str,
    specialty: str | None,
    target: str,
    effective: date,
) -> int:
    """An approved promotion packet with its sections, the evidence filled in."""
    rng = gen.rng
    template = gen.template(source, target, specialty)
    packet_id = writer.new_id("promotion_packets")
    noon = datetime(effective.year, effective.month, effective.day, 12, tzinfo=UTC)
    created = noon - timedelta(days=rng.randint(40, 70))
    submitted = noon - timedelta(days=rng.randint(20, 35))
    decided = noon - timedelta(days=rng.randint(5, 15))
    writer.add(
        "promotion_packets",
        {
            "id": packet_id,
            "subject_id": subject_id,
            "author_id": author_id,
            "source_level_id": template.source_level_id,
            "source_specialty_id": template.source_specialty_id,
            "target_level_id": template.target_level_id,
            "target_specialty_id": template.target_specialty_id,
            "move_kind": template.move,
            "ladder_version": gen.version,
            "status": PacketStatus.APPROVED,
            "created_at": created,
            "updated_at": decided,
            "updated_by_id": gen.people.admin_id,
            "submitted_at": submitted,
            "decided_at": decided,
            "decided_by_id": gen.people.admin_id,
            "decision_comment": "Approved: the evidence shows the target level's scope.",
            "effective_on": effective,
            "version": 1,
        },
    )
    for position, section in enumerate(template.sections):
        writer.add(
            "promotion_sections",
            {
                "id": writer.new_id("promotion_sections"),
                "packet_id": packet_id,
                "position": position,
                "key": section.key,
                "kind": section.kind,
                "heading": section.heading,
                "items": list(section.items),
                "description": section.description,
                "origin": section.origin,
                "required": section.required,
                "evidence": EVIDENCE[(packet_id + position) % len(EVIDENCE)]
                if section.required
                else None,
                "updated_at": submitted - timedelta(days=1),
                "updated_by_id": author_id,
                "version": 1,
            },
        )
    return packet_id


def history_loaded() -> bool:
    """Whether a history was generated in this database already."""
    from app.models import AuditEvent

    return (
        db.session.scalar(select(AuditEvent.id).where(AuditEvent.action == "demo.history").limit(1))
        is not None
    )


def iter_counts(result: HistoryResult) -> Iterator[tuple[str, int]]:
    for table in _TABLES:
        if result.rows[table.name]:
            yield table.name, result.rows[table.name]


__all__ = [
    "PLANNED_DAYS",
    "POOL",
    "HistoryPeople",
    "HistoryResult",
    "ensure_people",
    "generate_history",
    "history_loaded",
    "iter_counts",
]
