"""Read-only queries of hiring objects that the pages and the API share.

Each loader says which relationships it loads (models raise on lazy loads), so a page
costs the same few queries however much data there is. Permission checks are not made
here: the views ask :mod:`app.hiring.permissions`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    String,
    bindparam,
    func,
    null,
    or_,
    select,
    union_all,
)
from sqlalchemy.orm import aliased, joinedload, selectinload

from app.db import LIKE_ESCAPE, containing, db, in_parameter
from app.hiring.permissions import sees_every_requisition, visible_requisitions
from app.models import (
    Application,
    Candidate,
    Interview,
    InterviewInterviewer,
    Requisition,
    Role,
    Scorecard,
    ScorecardAmendment,
    StageTransition,
    User,
    UserRole,
)
from pipelines.applications import ApplicationStatus

# --- requisitions -------------------------------------------------------------------


#: Requisitions with their hiring manager's and recruiter's names and addresses (what a
#: requisition's pages show of them; their roles only if asked for). Built once.
_REQUISITION_AND_PEOPLE = select(Requisition).options(
    *(
        joinedload(person).load_only(User.id, User.display_name, User.email).lazyload(User.roles)
        for person in (Requisition.hiring_manager, Requisition.recruiter)
    )
)


def requisition(requisition_id: int) -> Requisition | None:
    return db.session.scalar(_REQUISITION_AND_PEOPLE.where(Requisition.id == requisition_id))


def _requisition_filters(
    user: User, *, status: str | None, mine: bool, title: str | None
) -> list[ColumnElement[bool]]:
    """The conditions on the requisitions ``user`` may see that match the filters. What
    varies from one request to the next is a named bind parameter holding its value
    (``viewer_id``, ``status``, ``title``): a statement built from them once serves other
    values given as parameters (:func:`requisition_rows`)."""
    values = _filter_values(user, status=status, title=title)
    viewer = bindparam("viewer_id", values["viewer_id"], type_=Integer)
    conditions = [visible_requisitions(user, viewer)]
    if status:
        kind = bindparam("status", values["status"], type_=Requisition.status.type)
        conditions.append(Requisition.status == kind)
    if mine:
        conditions.append(
            or_(Requisition.hiring_manager_id == viewer, Requisition.recruiter_id == viewer)
        )
    if title:
        pattern = bindparam("title", values["title"], type_=String)
        conditions.append(Requisition.title.ilike(pattern, escape=LIKE_ESCAPE))
    return conditions


def _filter_values(user: User, *, status: str | None, title: str | None) -> dict[str, Any]:
    """The values of :func:`_requisition_filters`' parameters."""
    values: dict[str, Any] = {"viewer_id": user.id}
    if status:
        values["status"] = status
    if title:
        values["title"] = containing(title)
    return values


def requisition_list(
    user: User, *, status: str | None = None, mine: bool = False, title: str | None = None
) -> Select[tuple[Requisition]]:
    """The requisitions ``user`` may see, newest first, filtered (for a paginated list),
    with their hiring managers' and recruiters' names and addresses."""
    return _REQUISITION_AND_PEOPLE.where(
        *_requisition_filters(user, status=status, mine=mine, title=title)
    ).order_by(Requisition.created_at.desc(), Requisition.id.desc())


#: The list page's columns of a requisition and its two people's names, as plain rows (no
#: objects to build). Built once: making the two aliases of the users costs more than the
#: rest of a request's statement.
_MANAGER = aliased(User, name="hiring_manager")
_RECRUITER = aliased(User, name="recruiter")
_REQUISITION_ROWS = (
    select(
        Requisition.id,
        Requisition.title,
        Requisition.level_id,
        Requisition.specialty_id,
        Requisition.headcount,
        Requisition.status,
        Requisition.created_at,
        _MANAGER.display_name.label("hiring_manager_name"),
        _RECRUITER.display_name.label("recruiter_name"),
    )
    .join(_MANAGER, _MANAGER.id == Requisition.hiring_manager_id)
    .join(_RECRUITER, _RECRUITER.id == Requisition.recruiter_id)
)


#: :data:`_REQUISITION_ROWS` with the conditions of each shape of filters, built once each.
_ROWS_BY_SHAPE: dict[tuple[bool, bool, bool, bool], Select[Any]] = {}


def requisition_rows(
    user: User, *, status: str | None = None, mine: bool = False, title: str | None = None
) -> tuple[Select[Any], dict[str, Any]]:
    """:func:`requisition_list` as the list page shows it, unordered (the page orders it),
    and the values of its parameters. The statement is the same object for every request
    with the same kind of filters (what ``user`` may see, and which filters are set), and
    its pages' statements are built once too (:func:`app.paging.newest_first`)."""
    shape = (sees_every_requisition(user), bool(status), mine, bool(title))
    statement = _ROWS_BY_SHAPE.get(shape)
    if statement is None:
        statement = _ROWS_BY_SHAPE[shape] = _REQUISITION_ROWS.where(
            *_requisition_filters(user, status=status, mine=mine, title=title)
        )
    return statement, _filter_values(user, status=status, title=title)


#: Per requisition, its active applications per stage, then its hires (a NULL stage): two
#: arms, each an index range of (requisition, status) on the board's index, so that the
#: declined and withdrawn applications between them are not read at all.
_PIPELINE_COUNTS = union_all(
    select(Application.requisition_id, Application.stage_id, func.count())
    .where(
        in_parameter(Application.requisition_id, "ids"),
        Application.status == ApplicationStatus.ACTIVE,
    )
    .group_by(Application.requisition_id, Application.stage_id),
    select(Application.requisition_id, null(), func.count())
    .where(
        in_parameter(Application.requisition_id, "ids"),
        Application.status == ApplicationStatus.HIRED,
    )
    .group_by(Application.requisition_id),
)


def pipeline_counts(
    requisition_ids: Sequence[int],
) -> tuple[dict[int, dict[str, int]], dict[int, int]]:
    """Per requisition, its active applications per stage and its hires, in one query
    (on the board's index)."""
    active: dict[int, dict[str, int]] = defaultdict(dict)
    hires: dict[int, int] = {}
    if not requisition_ids:
        return active, hires
    rows = db.session.connection().execute(_PIPELINE_COUNTS, {"ids": list(requisition_ids)})
    for requisition_id, stage_id, count in rows:
        if stage_id is None:
            hires[requisition_id] = count
        else:
            active[requisition_id][stage_id] = count
    return active, hires


def people_with(role: Role) -> list[User]:
    """Active users holding ``role``, by name (the choices of a requisition's form)."""
    return list(
        db.session.scalars(
            select(User)
            .join(UserRole)
            .where(UserRole.role == role, User.active.is_(True))
            .order_by(User.display_name)
        )
    )


# --- the board ----------------------------------------------------------------------


# --- candidates ---------------------------------------------------------------------


def candidate_list() -> Select[tuple[Candidate]]:
    """Every candidate, newest first (for a paginated list)."""
    return select(Candidate).order_by(Candidate.created_at.desc(), Candidate.id.desc())


def candidate_requisitions(candidate_id: int) -> list[Requisition]:
    return list(
        db.session.scalars(
            select(Requisition).join(Application).where(Application.candidate_id == candidate_id)
        )
    )


def interviews_candidate(user_id: int, candidate_id: int) -> bool:
    """Whether the user is an interviewer of any application of the candidate."""
    return (
        db.session.scalar(
            select(InterviewInterviewer.user_id)
            .join(Interview, Interview.id == InterviewInterviewer.interview_id)
            .join(Application, Application.id == Interview.application_id)
            .where(
                Application.candidate_id == candidate_id,
                InterviewInterviewer.user_id == user_id,
            )
            .limit(1)
        )
        is not None
    )


# --- applications -------------------------------------------------------------------


@dataclass(frozen=True)
class ApplicationFilters:
    """The filters of the applications list (None: not filtered by it)."""

    requisition_id: int | None = None
    stage: str | None = None
    status: ApplicationStatus | None = None

    @property
    def any(self) -> bool:
        return any(v is not None for v in (self.requisition_id, self.stage, self.status))


#: The columns an item of the applications list shows, with its candidate's name and
#: address and its requisition's title and level (for the plan's stage names), as plain
#: rows. Built once; each request adds its filters.
_APPLICATIONS_LISTED = (
    select(
        Application.id,
        Application.candidate_id,
        Application.requisition_id,
        Application.stage_id,
        Application.status,
        Application.source,
        Application.created_at,
        Application.entered_stage_at,
        Application.version,
        Requisition.title.label("requisition_title"),
        Requisition.level_id,
        Candidate.name.label("candidate_name"),
        Candidate.email.label("candidate_email"),
    )
    .join(Requisition, Requisition.id == Application.requisition_id)
    .join(Candidate, Candidate.id == Application.candidate_id)
)


def application_list(user: User, filters: ApplicationFilters) -> Select[Any]:
    """The applications of the requisitions ``user`` may see (:func:`visible_requisitions`,
    as each application's own page decides), filtered; unordered, for a keyset page by
    (created_at, id): one statement, no per-row loads."""
    conditions = [visible_requisitions(user)]
    if filters.requisition_id is not None:
        conditions.append(Application.requisition_id == filters.requisition_id)
    if filters.stage is not None:
        conditions.append(Application.stage_id == filters.stage)
    if filters.status is not None:
        conditions.append(Application.status == filters.status)
    return _APPLICATIONS_LISTED.where(*conditions)


def application(application_id: int) -> Application | None:
    """The application with its candidate and its requisition (and the requisition's
    hiring manager and recruiter)."""
    return db.session.scalar(
        select(Application)
        .where(Application.id == application_id)
        .options(
            joinedload(Application.candidate),
            joinedload(Application.referrer),
            joinedload(Application.requisition).joinedload(Requisition.hiring_manager),
            joinedload(Application.requisition).joinedload(Requisition.recruiter),
        )
    )


def candidate_zone(application_id: int) -> str | None:
    """The time zone of the application's candidate (None: they gave none)."""
    return db.session.scalar(
        select(Candidate.timezone)
        .join(Application, Application.candidate_id == Candidate.id)
        .where(Application.id == application_id)
    )


def application_version(application_id: int) -> int | None:
    """The application's version now (what a refused stale move reports)."""
    return db.session.scalar(select(Application.version).where(Application.id == application_id))


def application_history(application_id: int) -> Sequence[StageTransition]:
    """Every move of the application, oldest first, with who made it."""
    return db.session.scalars(
        select(StageTransition)
        .where(StageTransition.application_id == application_id)
        .options(joinedload(StageTransition.actor))
        .order_by(StageTransition.at, StageTransition.id)
    ).all()


def application_interviews(application_id: int) -> Sequence[Interview]:
    """The application's interviews with their interviewers (and the interviewers' users)."""
    return db.session.scalars(
        select(Interview)
        .where(Interview.application_id == application_id)
        .options(selectinload(Interview.interviewers).joinedload(InterviewInterviewer.user))
    ).all()


def submitted_scorecards(interview_ids: Sequence[int]) -> list[Scorecard]:
    """The submitted scorecards of these interviews, with their interviewer."""
    if not interview_ids:
        return []
    return list(
        db.session.scalars(
            select(Scorecard)
            .where(Scorecard.interview_id.in_(interview_ids), Scorecard.submitted_at.is_not(None))
            .options(joinedload(Scorecard.interviewer))
        )
    )


# --- interviews ---------------------------------------------------------------------


def interview(interview_id: int) -> Interview | None:
    """The interview with its interviewers (and their users)."""
    return db.session.scalar(
        select(Interview)
        .where(Interview.id == interview_id)
        .options(selectinload(Interview.interviewers).joinedload(InterviewInterviewer.user))
    )


def stage_interview(application_id: int, stage_id: str) -> Interview | None:
    """The interview of one stage of the application, if it was scheduled."""
    return db.session.scalar(
        select(Interview)
        .where(Interview.application_id == application_id, Interview.stage_id == stage_id)
        .options(selectinload(Interview.interviewers))
    )


def interview_version(application_id: int, stage_id: str) -> int | None:
    """The version of a stage's interview now (what a refused stale change reports)."""
    return db.session.scalar(
        select(Interview.version).where(
            Interview.application_id == application_id, Interview.stage_id == stage_id
        )
    )


def is_interviewer_of(user_id: int, application_id: int) -> bool:
    """Whether the user interviews for the application (any stage)."""
    return (
        db.session.scalar(
            select(InterviewInterviewer.user_id)
            .join(Interview, Interview.id == InterviewInterviewer.interview_id)
            .where(
                Interview.application_id == application_id,
                InterviewInterviewer.user_id == user_id,
            )
            .limit(1)
        )
        is not None
    )


def interview_stages(application_id: int) -> dict[int, str]:
    """Interview id -> stage id, for the application's interviews."""
    return dict(
        db.session.execute(
            select(Interview.id, Interview.stage_id).where(
                Interview.application_id == application_id
            )
        ).all()
    )


def own_scorecard(interview_id: int, user_id: int) -> Scorecard | None:
    """The user's scorecard of the interview, draft or submitted, if any."""
    return db.session.scalar(
        select(Scorecard).where(
            Scorecard.interview_id == interview_id, Scorecard.interviewer_id == user_id
        )
    )


def amendments(scorecard_id: int) -> list[ScorecardAmendment]:
    return list(
        db.session.scalars(
            select(ScorecardAmendment)
            .where(ScorecardAmendment.scorecard_id == scorecard_id)
            .order_by(ScorecardAmendment.id)
        )
    )
