"""A small hand-built hiring history for the report tests: every move at a chosen time, so
that each report's numbers can be worked out by hand (see test_reports.py).

Requisitions (csm family unless said):
  R1 senior-csm, the ``recruiter`` and ``hiring_manager``'s, opened 2026-01-01
  R2 senior-csm, another recruiter's and hiring manager's, opened 2025-12-01
  R3 senior-csa (the architects' family), another recruiter's, opened 2026-02-20
  R4 senior-csm, the recruiter's, filled (not open), opened 2026-01-10

Applications, opened at T0 = Monday 2026-01-05 09:00 UTC unless said (days after T0):
  A1 R1 careers site: screen, +2 assessment, +5 HM, +9 peer, +12 panel, +14 executive,
     +15 references, +20 offer, +22 hired
  A2 R1 referral:     screen, +4 assessment, +6 declined (assessment)
  A3 R1 sourced:      screen, +1 declined (experience)
  A4 R1 sourced:      screen, +2 assessment, +3 HM, +8 withdrew
  A5 R1 agency:       screen, still there
  A6 R1 careers site: screen, +6 assessment, +10 HM, +11 declined (interviews)
  A7 R2 careers site: screen, +3 declined (skills)
  A8 R3 sourced:      screen, +1 assessment, still there
  A9 R1 other, opened 2025-06-01 09:00: screen, +2 declined (other) (before the period)

Interviews of A5 (active) for the overdue scorecards, ``now`` = Monday 2026-03-02 12:00:
  I1 HM interview Wed 2026-02-25 10:00, 60 min: X submitted, Y not   (due Thu 11:00)
  I2 peer interview Fri 2026-02-27 10:00, 60 min: Y and Z not        (due Mon 11:00)
  I3 panel Sat 2026-02-28 13:00, 60 min: Z not                       (due Mon 14:00)
  I4 of A6 (declined) Wed 2026-02-25 10:00: Y not — not counted
  I5 of A5 executive, cancelled, Wed 2026-02-25: Z not — not counted
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from app.db import db
from app.models import (
    Application,
    Candidate,
    Interview,
    InterviewInterviewer,
    Requisition,
    Role,
    Scorecard,
    StageTransition,
    User,
)
from pipelines.applications import Action, ApplicationStatus
from pipelines.requisitions import RequisitionStatus
from pipelines.scorecards import Rating
from pipelines.sources import ApplicationSource

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
OPEN_NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
OVERDUE_NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
PERIOD = {"from": "2026-01-01", "to": "2026-12-31"}

CSM = (
    "recruiter-screening",
    "written-assessment",
    "hiring-manager-interview",
    "peer-interview",
    "panel-interview",
    "executive-interview",
    "reference-and-background-check",
)
SCREEN, ASSESSMENT, HM, PEER, PANEL, EXEC, REFS = CSM


def _requisition(title: str, level: str, hm: int, recruiter: int, opened: datetime) -> Requisition:
    r = Requisition(
        title=title,
        level_id=level,
        hiring_manager_id=hm,
        recruiter_id=recruiter,
        headcount=1,
        ladder_version="test",
        created_at=opened,
    )
    db.session.add(r)
    db.session.flush()
    return r


def _application(
    n: int,
    requisition: Requisition,
    source: ApplicationSource,
    moves: list[tuple[Action, float, str, ApplicationStatus, str | None]],
    opened: datetime = T0,
) -> Application:
    """``moves``: (action, days after opening, stage after, status after, reason)."""
    candidate = Candidate(name=f"Candidate {n}", email=f"candidate{n}@example.org")
    db.session.add(candidate)
    db.session.flush()
    _action, last_days, stage, status, reason = moves[-1]
    application = Application(
        candidate_id=candidate.id,
        requisition_id=requisition.id,
        stage_id=stage,
        status=status,
        entered_stage_at=opened + timedelta(days=last_days),
        overridden=[],
        decline_reason=reason if status is ApplicationStatus.DECLINED else None,
        source=source,
        ladder_version="test",
        created_at=opened,
    )
    db.session.add(application)
    db.session.flush()
    previous: tuple[str | None, ApplicationStatus | None] = (None, None)
    for action, days, to_stage, to_status, why in moves:
        db.session.add(
            StageTransition(
                application_id=application.id,
                action=action,
                at=opened + timedelta(days=days),
                from_stage=previous[0],
                from_status=previous[1],
                to_stage=to_stage,
                to_status=to_status,
                reason=why,
                overridden=[],
            )
        )
        previous = (to_stage, to_status)
    db.session.flush()
    return application


A = ApplicationStatus.ACTIVE


def _interview(
    application: Application,
    stage: str,
    starts: datetime,
    people: list[int],
    *,
    submitted: tuple[int, ...] = (),
    cancelled: bool = False,
) -> Interview:
    interview = Interview(
        application_id=application.id,
        stage_id=stage,
        starts_at=starts,
        duration_minutes=60,
        cancelled_at=starts - timedelta(days=1) if cancelled else None,
    )
    db.session.add(interview)
    db.session.flush()
    for person in people:
        db.session.add(InterviewInterviewer(interview_id=interview.id, user_id=person))
        if person in submitted:
            db.session.add(
                Scorecard(
                    interview_id=interview.id,
                    interviewer_id=person,
                    ratings={},
                    recommendation=Rating.YES,
                    notes="Good.",
                    submitted_at=starts + timedelta(hours=2),
                    ladder_version="test",
                )
            )
    db.session.flush()
    return interview


def more_users(make_user) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """The people the history needs besides one user per role (outside an app context)."""
    return {
        "other_recruiter": make_user("other.recruiter@example.org", (Role.RECRUITER,)),
        "other_manager": make_user("other.manager@example.org", (Role.HIRING_MANAGER,)),
        "y": make_user("yara@example.org", (Role.INTERVIEWER,), name="Yara Interviewer"),
        "z": make_user("zeno@example.org", (Role.INTERVIEWER,), name="Zeno Interviewer"),
    }


def build(users: dict[str, int], more: dict[str, int]) -> dict[str, int]:
    """Builds the history (inside an app context) and commits; returns the ids."""
    other_recruiter, other_manager = more["other_recruiter"], more["other_manager"]
    y, z = more["y"], more["z"]
    x = users["interviewer"]
    recruiter, manager = users["recruiter"], users["hiring_manager"]
    r1 = _requisition(
        "R1 Senior CSM", "senior-csm", manager, recruiter, datetime(2026, 1, 1, tzinfo=UTC)
    )
    r2 = _requisition(
        "R2 Senior CSM",
        "senior-csm",
        other_manager,
        other_recruiter,
        datetime(2025, 12, 1, tzinfo=UTC),
    )
    r3 = _requisition(
        "R3 Senior CSA",
        "senior-csa",
        other_manager,
        other_recruiter,
        datetime(2026, 2, 20, tzinfo=UTC),
    )
    r4 = _requisition(
        "R4 Senior CSM", "senior-csm", manager, recruiter, datetime(2026, 1, 10, tzinfo=UTC)
    )
    r4.status = RequisitionStatus.FILLED

    D, W = ApplicationStatus.DECLINED, ApplicationStatus.WITHDRAWN
    OFFER, H = ApplicationStatus.OFFER, ApplicationStatus.HIRED
    src = ApplicationSource
    adv = Action.ADVANCE
    a1 = _application(
        1,
        r1,
        src.CAREERS_SITE,
        [
            (Action.OPEN, 0, SCREEN, A, None),
            (adv, 2, ASSESSMENT, A, None),
            (adv, 5, HM, A, None),
            (adv, 9, PEER, A, None),
            (adv, 12, PANEL, A, None),
            (adv, 14, EXEC, A, None),
            (adv, 15, REFS, A, None),
            (Action.MAKE_OFFER, 20, REFS, OFFER, None),
            (Action.HIRE, 22, REFS, H, None),
        ],
    )
    _application(
        2,
        r1,
        src.REFERRAL,
        [
            (Action.OPEN, 0, SCREEN, A, None),
            (adv, 4, ASSESSMENT, A, None),
            (Action.DECLINE, 6, ASSESSMENT, D, "assessment"),
        ],
    )
    _application(
        3,
        r1,
        src.SOURCED,
        [(Action.OPEN, 0, SCREEN, A, None), (Action.DECLINE, 1, SCREEN, D, "experience")],
    )
    _application(
        4,
        r1,
        src.SOURCED,
        [
            (Action.OPEN, 0, SCREEN, A, None),
            (adv, 2, ASSESSMENT, A, None),
            (adv, 3, HM, A, None),
            (Action.WITHDRAW, 8, HM, W, "Took another job"),
        ],
    )
    a5 = _application(5, r1, src.AGENCY, [(Action.OPEN, 0, SCREEN, A, None)])
    a6 = _application(
        6,
        r1,
        src.CAREERS_SITE,
        [
            (Action.OPEN, 0, SCREEN, A, None),
            (adv, 6, ASSESSMENT, A, None),
            (adv, 10, HM, A, None),
            (Action.DECLINE, 11, HM, D, "interviews"),
        ],
    )
    _application(
        7,
        r2,
        src.CAREERS_SITE,
        [(Action.OPEN, 0, SCREEN, A, None), (Action.DECLINE, 3, SCREEN, D, "skills")],
    )
    _application(
        8, r3, src.SOURCED, [(Action.OPEN, 0, SCREEN, A, None), (adv, 1, ASSESSMENT, A, None)]
    )
    _application(
        9,
        r1,
        src.OTHER,
        [(Action.OPEN, 0, SCREEN, A, None), (Action.DECLINE, 2, SCREEN, D, "other")],
        opened=datetime(2025, 6, 1, 9, 0, tzinfo=UTC),
    )
    _interview(a5, HM, datetime(2026, 2, 25, 10, 0, tzinfo=UTC), [x, y], submitted=(x,))
    _interview(a5, PEER, datetime(2026, 2, 27, 10, 0, tzinfo=UTC), [y, z])
    _interview(a5, PANEL, datetime(2026, 2, 28, 13, 0, tzinfo=UTC), [z])
    _interview(a6, HM, datetime(2026, 2, 25, 10, 0, tzinfo=UTC), [y])
    _interview(a5, EXEC, datetime(2026, 2, 25, 10, 0, tzinfo=UTC), [z], cancelled=True)
    db.session.commit()
    return {
        "r1": r1.id,
        "r2": r2.id,
        "r3": r3.id,
        "r4": r4.id,
        "a1": a1.id,
        "x": x,
        "y": y,
        "z": z,
        "other_recruiter": other_recruiter,
        "other_manager": other_manager,
    }


def viewer(user_id: int) -> User:
    user = db.session.get(User, user_id)
    assert user is not None
    return user
