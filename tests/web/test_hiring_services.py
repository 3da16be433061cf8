from __future__ import annotations

import pytest
from sqlalchemy import select

from app.db import db
from app.models import Application, AuditEvent, Role, StageTransition, User
from app.services import hiring
from app.services.errors import ConflictError, ServiceError
from pipelines.errors import TransitionError


@pytest.fixture
def people(make_user):
    return {
        "recruiter": make_user("rita@example.org", (Role.RECRUITER,)),
        "manager": make_user("hank@example.org", (Role.HIRING_MANAGER, Role.INTERVIEWER)),
        "member": make_user("tm@example.org", (Role.TEAM_MEMBER,)),
    }


def get(model, ident):
    return db.session.get(model, ident)


def make_requisition(people, level="senior-csm", specialty=None):
    return hiring.create_requisition(
        title="",
        level_id=level,
        specialty_id=specialty,
        hiring_manager=get(User, people["manager"]),
        recruiter=get(User, people["recruiter"]),
        headcount=1,
        actor=get(User, people["recruiter"]),
    )


def test_requisition_records_level_and_ladder_version(app, people):
    with app.app_context():
        req = make_requisition(people, specialty="public-sector")
        from app.ladder_access import get_ladder

        assert req.title == "Senior CSM"
        assert req.ladder_version == get_ladder().version
        assert db.session.scalars(
            select(AuditEvent.action).where(AuditEvent.object_type == "requisition")
        ).all() == ["requisition.create"]


@pytest.mark.parametrize(
    ("level", "specialty", "message"),
    [
        ("no-such-level", None, "The ladder has no level 'no-such-level'"),
        ("manager-success-services", None, "defined elsewhere"),
        ("senior-csm", "rocket-science", "has no specialty 'rocket-science'"),
    ],
)
def test_requisition_level_is_checked(app, people, level, specialty, message):
    with app.app_context(), pytest.raises(ServiceError, match=message):
        make_requisition(people, level, specialty)


def test_requisition_people_must_hold_their_roles(app, people):
    with app.app_context(), pytest.raises(ServiceError, match="not an active hiring manager"):
        hiring.create_requisition(
            title="x",
            level_id="csm",
            specialty_id=None,
            hiring_manager=get(User, people["member"]),
            recruiter=get(User, people["recruiter"]),
            headcount=1,
            actor=get(User, people["recruiter"]),
        )


def add(people, email="cand@example.org"):
    return hiring.add_candidate(
        hiring.CandidateDetails(name="Casey Candidate", email=email),
        actor=get(User, people["recruiter"]),
    )


def test_duplicate_candidate_is_detected_case_insensitively(app, people):
    with app.app_context():
        first = add(people)
        with pytest.raises(hiring.DuplicateCandidateError) as caught:
            add(people, "CAND@Example.org")
        assert caught.value.existing.id == first.id


def test_application_moves_and_every_move_is_recorded(app, people):
    with app.app_context():
        req = make_requisition(people)
        application = hiring.open_application(
            add(people), req, actor=get(User, people["recruiter"])
        )
        assert application.stage_id == "recruiter-screening"
        recruiter = get(User, people["recruiter"])
        with pytest.raises(TransitionError, match="Cannot leave Recruiter Screening"):
            hiring.advance_application(application, actor=recruiter, expected_version=None)
        hiring.record_screen_outcome(
            application, passed=True, actor=recruiter, expected_version=application.version
        )
        hiring.advance_application(
            application, actor=recruiter, expected_version=application.version
        )
        assert application.stage_id == "written-assessment"
        hiring.decline_application(
            application,
            actor=recruiter,
            reason_code="skills",
            note="Strong, but not yet senior.",
            expected_version=application.version,
        )
        assert application.status == "declined"
        moves = db.session.scalars(
            select(StageTransition.action)
            .where(StageTransition.application_id == application.id)
            .order_by(StageTransition.id)
        ).all()
        assert moves == ["open", "advance", "decline"]
        audited = db.session.scalars(
            select(AuditEvent).where(AuditEvent.object_type == "application")
        ).all()
        assert [e.action for e in audited][-1] == "application.decline"
        assert "Strong" not in str([e.summary for e in audited])  # no notes in the audit log


def test_stale_version_is_refused(app, people):
    with app.app_context():
        req = make_requisition(people)
        application = hiring.open_application(
            add(people), req, actor=get(User, people["recruiter"])
        )
        stale = application.version
        hiring.record_screen_outcome(
            application, passed=True, actor=get(User, people["recruiter"]), expected_version=stale
        )
        with pytest.raises(ConflictError):
            hiring.decline_application(
                application,
                actor=get(User, people["recruiter"]),
                reason_code="skills",
                note=None,
                expected_version=stale,
            )
        assert get(Application, application.id).status == "active"


def test_hiring_manager_override_needs_a_reason(app, people):
    with app.app_context():
        req = make_requisition(people)
        application = hiring.open_application(
            add(people), req, actor=get(User, people["recruiter"])
        )
        manager = get(User, people["manager"])
        hiring.advance_application(
            application,
            actor=manager,
            expected_version=None,
            override_reason="Internal referral, screened by me.",
        )
        assert application.stage_id == "written-assessment"
        assert application.overridden == ["recruiter-screening"]
