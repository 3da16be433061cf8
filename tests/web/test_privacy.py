"""A candidate's data lifecycle: export, erasure, consent, retention, stray CV files."""

from __future__ import annotations

import io
import json
import os
import zipfile
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from app.clock import utcnow
from app.db import db
from app.models import (
    Application,
    AssessmentInvitation,
    AuditEvent,
    Candidate,
    Scorecard,
    ScorecardAmendment,
    StageTransition,
    User,
)
from app.services import hiring
from tests.conftest import MINIMAL_PDF, login_as

SECRET_NOTE = "Mentioned a health condition in the interview"
SECRET_ANSWER = "My confidential story about Acme"
DECLINE_NOTE = "Prefers not to relocate because of family"
AMENDMENT = "Later remembered they are expecting a child"


def cv_path(app, candidate_id: int):
    with app.app_context():
        key = db.session.get(Candidate, candidate_id).cv_key
    from app.hiring.cv_storage import CvStore

    return None if key is None else CvStore(app.config["CV_STORAGE_DIR"]).path(key)


@pytest.fixture
def rich(app, users, hiring_objects):
    """The fixture's candidate with a scorecard note, an assessment answer and a decline
    note: the free text erasure must remove."""
    with app.app_context():
        application = db.session.get(Application, hiring_objects["application_id"])
        card = Scorecard(
            interview_id=hiring_objects["interview_id"],
            interviewer_id=users["interviewer"],
            ratings={"competency:x": "yes"},
            recommendation="yes",
            notes=SECRET_NOTE,
            submitted_at=utcnow(),
            ladder_version="v",
            version=1,
        )
        db.session.add(card)
        db.session.flush()
        db.session.add(
            ScorecardAmendment(scorecard_id=card.id, author_id=users["interviewer"], text=AMENDMENT)
        )
        db.session.add(
            AssessmentInvitation(
                application_id=application.id,
                token_hash="0" * 64,
                expires_at=utcnow() + timedelta(days=7),
                used_at=utcnow(),
                questions=["Describe a renewal you saved."],
                answers=[SECRET_ANSWER],
            )
        )
        db.session.commit()
        hiring.decline_application(
            application,
            actor=db.session.get(User, users["recruiter"]),
            reason_code="other",
            note=DECLINE_NOTE,
            expected_version=None,
        )
    return hiring_objects


def candidate_version(app, candidate_id: int) -> int:
    with app.app_context():
        return db.session.get(Candidate, candidate_id).version


# --- export -------------------------------------------------------------------------


def _zip(response) -> tuple[dict, dict[str, bytes]]:
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    files = {name: archive.read(name) for name in archive.namelist()}
    return json.loads(files["candidate.json"]), files


@pytest.mark.parametrize(
    "url", ["/hiring/candidates/{id}/export", "/api/v1/candidates/{id}/export"]
)
def test_export_holds_everything_and_is_audited(app, client, users, rich, url):
    login_as(app, client, users["recruiter"])
    response = client.get(url.format(id=rich["candidate_id"]))
    assert response.status_code == 200
    assert response.mimetype == "application/zip"
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert "Casey" not in response.headers["Content-Disposition"]
    document, files = _zip(response)
    assert document["candidate"]["name"] == "Casey Candidate"
    assert document["candidate"]["email"] == "casey@example.org"
    (application,) = document["applications"]
    assert application["status"] == "declined"
    assert application["decline_note"] == DECLINE_NOTE
    assert [t["action"] for t in application["history"]] == ["open", "decline"]
    (interview,) = application["interviews"]
    assert interview["scorecards"][0]["notes"] == SECRET_NOTE
    assert interview["scorecards"][0]["ratings"] == {"competency:x": "yes"}
    assert interview["scorecards"][0]["amendments"][0]["text"] == AMENDMENT
    assert application["assessment_invitations"][0]["answers"] == [SECRET_ANSWER]
    assert "candidate.create" in {row["action"] for row in document["audit"]}
    cv_name = document["candidate"]["cv"]["file"]
    assert files[cv_name] == MINIMAL_PDF
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "candidate.export"))
        assert event.object_id == str(rich["candidate_id"])
        assert event.actor_id == users["recruiter"]


@pytest.mark.parametrize("role", ["interviewer", "team_member", "hiring_manager"])
@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("GET", "/hiring/candidates/{id}/export"),
        ("GET", "/api/v1/candidates/{id}/export"),
        ("POST", "/hiring/candidates/{id}/erase"),
        ("POST", "/api/v1/candidates/{id}/erase"),
    ],
)
def test_only_recruiters_and_admins_reach_a_candidates_data(
    app, client, users, hiring_objects, role, method, url
):
    login_as(app, client, users[role])
    response = client.open(url.format(id=hiring_objects["candidate_id"]), method=method, json={})
    assert response.status_code == 404
    with app.app_context():
        assert db.session.get(Candidate, hiring_objects["candidate_id"]).erased_at is None


# --- erasure ------------------------------------------------------------------------


def test_api_erasure_keeps_the_skeleton_and_removes_the_person(app, client, users, rich):
    candidate_id = rich["candidate_id"]
    path = cv_path(app, candidate_id)
    assert path.exists()
    login_as(app, client, users["recruiter"])
    response = client.post(
        f"/api/v1/candidates/{candidate_id}/erase",
        json={"version": candidate_version(app, candidate_id)},
    )
    assert response.status_code == 200, response.json
    body = response.json
    assert body["name"] == f"Erased candidate #{candidate_id}"
    assert body["email"] is None and body["phone"] is None and not body["has_cv"]
    assert body["erased_at"] is not None
    assert not path.exists()
    with app.app_context():
        application = db.session.get(Application, rich["application_id"])
        assert application.status == "declined" and application.decline_reason == "other"
        assert application.decline_note is None
        card = db.session.scalar(select(Scorecard))
        assert card.notes == "" and card.recommendation == "yes"
        assert card.ratings == {"competency:x": "yes"}
        assert db.session.scalar(select(AssessmentInvitation)).answers is None
        assert db.session.scalar(select(ScorecardAmendment.text)) == ""
        notes = db.session.scalars(select(StageTransition.note)).all()
        assert DECLINE_NOTE not in notes
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "candidate.erase"))
        assert event.actor_id == users["recruiter"]
        assert "Casey" not in json.dumps(event.summary)
    # The export now holds nothing personal.
    exported = client.get(f"/api/v1/candidates/{candidate_id}/export")
    text = exported.data.decode("latin-1")
    personal_data = (
        "Casey",
        "casey@example.org",
        SECRET_NOTE,
        SECRET_ANSWER,
        DECLINE_NOTE,
        AMENDMENT,
    )
    for personal in personal_data:
        assert personal not in text
    document, files = _zip(exported)
    assert list(files) == ["candidate.json"]
    assert document["candidate"]["erased_at"] is not None


def test_erasing_twice_answers_409_and_changes_nothing(app, client, users, hiring_objects):
    candidate_id = hiring_objects["candidate_id"]
    login_as(app, client, users["admin"])
    version = candidate_version(app, candidate_id)
    first = client.post(f"/api/v1/candidates/{candidate_id}/erase", json={"version": version})
    assert first.status_code == 200
    again = client.post(
        f"/api/v1/candidates/{candidate_id}/erase", json={"version": first.json["version"]}
    )
    assert again.status_code == 409
    assert "erased already" in again.json["error"]["detail"]
    # Nothing changed meanwhile: the rules refuse it, and say so.
    assert (again.json["error"]["title"], again.json["error"]["conflict"]) == (
        "Not possible now",
        "rule",
    )
    with app.app_context():
        events = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "candidate.erase")
        ).all()
        assert len(events) == 1


def test_a_stale_version_is_refused(app, client, users, hiring_objects):
    candidate_id = hiring_objects["candidate_id"]
    login_as(app, client, users["recruiter"])
    stale = candidate_version(app, candidate_id) - 1
    response = client.post(f"/api/v1/candidates/{candidate_id}/erase", json={"version": stale})
    assert response.status_code == 409
    assert response.json["error"]["current_version"] == stale + 1
    assert (response.json["error"]["title"], response.json["error"]["conflict"]) == (
        "Changed meanwhile",
        "stale",
    )
    with app.app_context():
        assert db.session.get(Candidate, candidate_id).name == "Casey Candidate"


def test_erasure_tolerates_a_missing_cv_file(app, client, users, hiring_objects):
    candidate_id = hiring_objects["candidate_id"]
    cv_path(app, candidate_id).unlink()
    login_as(app, client, users["recruiter"])
    response = client.post(
        f"/api/v1/candidates/{candidate_id}/erase",
        json={"version": candidate_version(app, candidate_id)},
    )
    assert response.status_code == 200


def test_two_erased_candidates_do_not_collide_on_email(app, client, users, hiring_objects):
    with app.app_context():
        other = hiring.add_candidate(
            hiring.CandidateDetails(name="Dana Doe", email="dana@example.org"),
            actor=db.session.get(User, users["recruiter"]),
        )
        other_id = other.id
    login_as(app, client, users["recruiter"])
    for candidate_id in (hiring_objects["candidate_id"], other_id):
        response = client.post(
            f"/api/v1/candidates/{candidate_id}/erase",
            json={"version": candidate_version(app, candidate_id)},
        )
        assert response.status_code == 200
    # The address is free again: the same person may apply anew.
    with app.app_context():
        again = hiring.add_candidate(
            hiring.CandidateDetails(name="Casey Candidate", email="casey@example.org"),
            actor=db.session.get(User, users["recruiter"]),
        )
        assert again.id not in (hiring_objects["candidate_id"], other_id)


def test_web_erasure_needs_the_box_ticked(app, client, users, hiring_objects):
    candidate_id = hiring_objects["candidate_id"]
    application_id = hiring_objects["application_id"]
    login_as(app, client, users["recruiter"])
    page = client.get(f"/hiring/applications/{application_id}")
    assert f"/hiring/candidates/{candidate_id}/erase" in page.text
    assert f"/hiring/candidates/{candidate_id}/export" in page.text
    confirm = client.get(f"/hiring/candidates/{candidate_id}/erase?application_id={application_id}")
    assert confirm.status_code == 200 and "Tick" not in confirm.text
    version = candidate_version(app, candidate_id)
    unticked = client.post(f"/hiring/candidates/{candidate_id}/erase", data={"version": version})
    assert unticked.status_code == 422
    assert "Tick the box to confirm the erasure." in unticked.text
    with app.app_context():
        assert db.session.get(Candidate, candidate_id).erased_at is None
    done = client.post(
        f"/hiring/candidates/{candidate_id}/erase",
        data={"version": version, "confirm": "y", "application_id": application_id},
    )
    assert done.status_code == 302
    assert done.headers["Location"].endswith(f"/hiring/applications/{application_id}")
    label = f"Erased candidate #{candidate_id}"
    page = client.get(f"/hiring/applications/{application_id}").text
    assert label in page and "Casey" not in page and "casey@example.org" not in page
    board = client.get(f"/hiring/requisitions/{hiring_objects['requisition_id']}").text
    assert label in board and "Casey" not in board


def test_an_erased_candidate_reads_as_erased_everywhere(app, client, users, hiring_objects):
    candidate_id = hiring_objects["candidate_id"]
    login_as(app, client, users["recruiter"])
    client.post(
        f"/api/v1/candidates/{candidate_id}/erase",
        json={"version": candidate_version(app, candidate_id)},
    )
    label = f"Erased candidate #{candidate_id}"
    api = client.get(f"/api/v1/applications/{hiring_objects['application_id']}").json
    assert api["candidate"] == {"id": candidate_id, "name": label, "email": None}
    listed = client.get("/api/v1/candidates").json["items"]
    assert [c["name"] for c in listed if c["id"] == candidate_id] == [label]
    login_as(app, client, users["interviewer"])
    ics = client.get(f"/hiring/interviews/{hiring_objects['interview_id']}/invite.ics")
    assert ics.status_code == 200
    assert label in ics.text.replace("\r\n ", "") and "Casey" not in ics.text
    assert "Casey" not in client.get("/hiring/my-interviews").text
    # The CV is gone for everyone.
    assert client.get(f"/hiring/candidates/{candidate_id}/cv").status_code == 404


def test_an_erased_candidate_cannot_enter_a_pipeline_again(app, users, hiring_objects):
    from app.models import Requisition
    from app.services import privacy
    from app.services.errors import ServiceError

    with app.app_context():
        recruiter = db.session.get(User, users["recruiter"])
        candidate = db.session.get(Candidate, hiring_objects["candidate_id"])
        privacy.erase_candidate(candidate, actor=recruiter, expected_version=None, remove_cv=None)
        requisition = hiring.create_requisition(
            title="Another",
            level_id="senior-csm",
            specialty_id=None,
            hiring_manager=db.session.get(User, users["hiring_manager"]),
            recruiter=recruiter,
            headcount=1,
            actor=recruiter,
        )
        with pytest.raises(ServiceError, match="erased"):
            hiring.open_application(
                candidate, db.session.get(Requisition, requisition.id), actor=recruiter
            )


# --- consent ------------------------------------------------------------------------


def test_candidates_record_the_consent_text_version(app, client, users):
    login_as(app, client, users["recruiter"])
    response = client.post(
        "/api/v1/candidates",
        json={"name": "Eve", "email": "eve@example.org", "consent_on": "2026-11-01"},
    )
    assert response.status_code == 201
    assert response.json["consent_version"] == "2026-01"
    unknown = client.post(
        "/api/v1/candidates",
        json={
            "name": "Fay",
            "email": "fay@example.org",
            "consent_on": "2026-11-01",
            "consent_version": "1999-01",
        },
    )
    assert unknown.status_code == 422
    assert "consent_version" in unknown.json["error"]["fields"]


def test_renewing_consent_updates_date_and_version(app, client, users, hiring_objects):
    candidate_id = hiring_objects["candidate_id"]
    login_as(app, client, users["recruiter"])
    version = candidate_version(app, candidate_id)
    response = client.post(
        f"/api/v1/candidates/{candidate_id}/consent",
        json={"consent_on": "2026-11-20", "consent_version": "2026-01", "version": version},
    )
    assert response.status_code == 200, response.json
    assert response.json["consent_on"] == "2026-11-20"
    assert response.json["consent_version"] == "2026-01"
    stale = client.post(
        f"/api/v1/candidates/{candidate_id}/consent",
        json={"consent_on": "2026-11-21", "version": version},
    )
    assert stale.status_code == 409
    web = client.post(
        f"/hiring/candidates/{candidate_id}/consent",
        data={
            "consent_on": "2026-11-22",
            "consent_version": "2026-01",
            "version": response.json["version"],
            "application_id": hiring_objects["application_id"],
        },
    )
    assert web.status_code == 302
    with app.app_context():
        candidate = db.session.get(Candidate, candidate_id)
        assert candidate.consent_on == date(2026, 11, 22)
        actions = db.session.scalars(
            select(AuditEvent.action).where(AuditEvent.action == "candidate.consent")
        ).all()
        assert len(actions) == 2


# --- retention ----------------------------------------------------------------------


def _closed_long_ago(app, application_id: int, *, months: int = 30) -> None:
    with app.app_context():
        application = db.session.get(Application, application_id)
        application.status = "withdrawn"
        application.entered_stage_at = utcnow() - timedelta(days=31 * months)
        candidate = db.session.get(Candidate, application.candidate_id)
        candidate.created_at = utcnow() - timedelta(days=31 * (months + 1))
        db.session.commit()


def test_retention_dry_run_lists_and_the_real_run_erases(app, runner, users, hiring_objects):
    candidate_id = hiring_objects["candidate_id"]
    _closed_long_ago(app, hiring_objects["application_id"])
    with app.app_context():
        fresh = hiring.add_candidate(
            hiring.CandidateDetails(name="Recent Person", email="recent@example.org"),
            actor=db.session.get(User, users["recruiter"]),
        ).id
    dry = runner.invoke(args=["privacy", "retention", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert f"#{candidate_id}\tCasey Candidate" in dry.output
    assert "Recent Person" not in dry.output
    assert "Dry run: 1 candidate(s)" in dry.output
    with app.app_context():
        assert db.session.get(Candidate, candidate_id).erased_at is None
    real = runner.invoke(args=["privacy", "retention"])
    assert real.exit_code == 0, real.output
    assert "Erased 1 candidate(s) kept more than 24 months" in real.output
    with app.app_context():
        assert db.session.get(Candidate, candidate_id).erased_at is not None
        assert db.session.get(Candidate, fresh).erased_at is None
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "candidate.erase"))
        assert event.channel == "cli" and event.actor_id is None
    assert "Dry run: 0" in runner.invoke(args=["privacy", "retention", "--dry-run"]).output


def test_the_worker_runs_retention_once_a_day(app, users, hiring_objects):
    from app.models import JobRun
    from app.notifications import worker

    candidate_id = hiring_objects["candidate_id"]
    _closed_long_ago(app, hiring_objects["application_id"])
    first = worker.run_once(app, worker="w1")
    assert ("retention", "ok: 1 candidate(s) erased") in first.jobs
    again = worker.run_once(app, worker="w2")  # same day: another worker does not run it
    assert "retention" not in dict(again.jobs)
    with app.app_context():
        assert db.session.get(Candidate, candidate_id).erased_at is not None
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "candidate.erase"))
        assert event.channel == "system" and event.actor_id is None
        runs = db.session.scalars(select(JobRun).where(JobRun.job == "retention")).all()
        assert [(r.worker, r.outcome) for r in runs] == [("w1", "ok: 1 candidate(s) erased")]


def test_retention_spares_renewed_consent_and_honours_months(app, runner, hiring_objects):
    candidate_id = hiring_objects["candidate_id"]
    _closed_long_ago(app, hiring_objects["application_id"])
    with app.app_context():
        db.session.get(Candidate, candidate_id).consent_on = (utcnow() - timedelta(days=60)).date()
        db.session.commit()
    assert "Dry run: 0" in runner.invoke(args=["privacy", "retention", "--dry-run"]).output
    one_month = runner.invoke(args=["privacy", "retention", "--dry-run", "--months", "1"])
    assert "Dry run: 1" in one_month.output
    assert runner.invoke(args=["privacy", "retention", "--months", "0"]).exit_code != 0


def test_retention_spares_open_applications(app, runner, hiring_objects):
    with app.app_context():
        application = db.session.get(Application, hiring_objects["application_id"])
        application.entered_stage_at = datetime(2020, 1, 1, tzinfo=UTC)
        db.session.get(Candidate, application.candidate_id).created_at = datetime(
            2020, 1, 1, tzinfo=UTC
        )
        db.session.commit()
    assert "Dry run: 0" in runner.invoke(args=["privacy", "retention", "--dry-run"]).output


# --- CV files -----------------------------------------------------------------------


def _stored(app) -> set[str]:
    return {p.name for p in app.config["CV_STORAGE_DIR"].rglob("*") if p.is_file()}


def test_a_duplicate_email_leaves_no_cv_file(app, client, users, hiring_objects):
    login_as(app, client, users["recruiter"])
    before = _stored(app)
    response = client.post(
        f"/hiring/requisitions/{hiring_objects['requisition_id']}/candidates/new",
        data={
            "name": "Casey Again",
            "email": "CASEY@example.org",
            "consent_on": "2026-11-01",
            "cv": (io.BytesIO(MINIMAL_PDF), "cv.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 200
    assert "already exists" in response.text
    assert _stored(app) == before


def test_a_new_candidates_cv_is_stored_with_the_row(app, client, users, hiring_objects):
    login_as(app, client, users["recruiter"])
    response = client.post(
        f"/hiring/requisitions/{hiring_objects['requisition_id']}/candidates/new",
        data={
            "name": "Gil New",
            "email": "gil@example.org",
            "consent_on": "2026-11-01",
            "consent_version": "2026-01",
            "cv": (io.BytesIO(MINIMAL_PDF), "Gil CV.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    with app.app_context():
        gil = db.session.scalar(select(Candidate).where(Candidate.email == "gil@example.org"))
        assert gil.cv_key in _stored(app)
        assert gil.consent_version == "2026-01"


def test_cv_cleanup_removes_only_stray_files(app, runner, hiring_objects):
    from app.hiring.cv_content import CvKind
    from app.hiring.cv_storage import CvStore

    store = CvStore(app.config["CV_STORAGE_DIR"])
    stray = store.save(MINIMAL_PDF, "cv.pdf", CvKind.PDF).key
    young = store.save(MINIMAL_PDF, "cv.pdf", CvKind.PDF).key
    old = (utcnow() - timedelta(days=2)).timestamp()
    os.utime(store.path(stray), (old, old))
    kept = cv_path(app, hiring_objects["candidate_id"])
    os.utime(kept, (old, old))
    dry = runner.invoke(args=["privacy", "cv-cleanup", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert stray in dry.output and young not in dry.output and kept.name not in dry.output
    assert store.path(stray).exists()
    real = runner.invoke(args=["privacy", "cv-cleanup"])
    assert "1 stray CV file(s) removed" in real.output
    assert not store.path(stray).exists()
    assert store.path(young).exists() and kept.exists()
    store.delete(young)


def test_erasure_clears_what_the_candidate_and_a_referrer_wrote(app, client, users, hiring_objects):
    with app.app_context():
        application = db.session.get(Application, hiring_objects["application_id"])
        application.candidate_note = "I ran success plans for 40 accounts."
        application.referral_note = "We worked together at Acme."
        application.referred_name = "Casey Candidate"
        db.session.commit()
    login_as(app, client, users["recruiter"])
    candidate_id = hiring_objects["candidate_id"]
    erased = client.post(
        f"/api/v1/candidates/{candidate_id}/erase",
        json={"version": candidate_version(app, candidate_id)},
    )
    assert erased.status_code == 200
    with app.app_context():
        application = db.session.get(Application, hiring_objects["application_id"])
        assert application.candidate_note is None
        assert application.referral_note is None
        assert application.referred_name is None
