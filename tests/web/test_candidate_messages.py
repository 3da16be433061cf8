"""Messages to candidates: the written assessment's link by e-mail (preview, then send),
the decline message (default text, edit, preview, confirm) and the acknowledgement of an
application. Each is queued in the transaction of its change: a change that fails queues
nothing."""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select, text

from app.db import db
from app.models import (
    Application,
    AssessmentInvitation,
    AuditEvent,
    Candidate,
    OutboxMessage,
    Requisition,
    User,
)
from app.notifications import worker
from app.services import assessments, candidate_messages, hiring
from app.services.errors import ConflictError, ServiceError
from pipelines.applications import ApplicationStatus
from pipelines.outbox import MessageStatus
from tests.conftest import login_as

#: The one-time display builds the link from the request; the message from BASE_URL.
SHOWN = re.compile(r"http://hireladder\.test/assessment/([A-Za-z0-9_\-]+)")
MAILED = re.compile(r"http://localhost/assessment/([A-Za-z0-9_\-]+)")


#: What the fixtures send before a test starts: invitations to the interviewers they schedule.
FIXTURES_SEND = ("interview_invitation",)


def messages(kind: str | None = None) -> list[OutboxMessage]:
    """The messages of ``kind``, else every message but the fixtures' invitations."""
    query = select(OutboxMessage).order_by(OutboxMessage.id)
    if kind is not None:
        query = query.where(OutboxMessage.kind == kind)
    else:
        query = query.where(OutboxMessage.kind.not_in(FIXTURES_SEND))
    return list(db.session.scalars(query))


def outbox_count(app) -> int:
    with app.app_context():
        return (
            db.session.scalar(
                select(func.count())
                .select_from(OutboxMessage)
                .where(OutboxMessage.kind.not_in(FIXTURES_SEND))
            )
            or 0
        )


def version_of(app, application_id: int) -> int:
    with app.app_context():
        return db.session.get(Application, application_id).version


def bump_version_behind_the_session(application_id: int) -> None:
    """Another writer changed the application after this session loaded it: the service's
    own UPDATE then finds a newer version and its commit fails."""
    db.session.execute(
        text("UPDATE applications SET version = version + 1 WHERE id = :id"),
        {"id": application_id},
    )


def without_email(app, candidate_id: int) -> None:
    """The candidate as erasure leaves them: no e-mail address."""
    with app.app_context():
        candidate = db.session.get(Candidate, candidate_id)
        candidate.erased_at = datetime.now(UTC)
        candidate.email = None
        db.session.commit()


@pytest.fixture
def at_assessment(app, users, hiring_objects) -> dict[str, int]:
    """The fixture's application, screened as passed and moved to the written assessment."""
    with app.app_context():
        recruiter = db.session.get(User, users["recruiter"])
        application = db.session.get(Application, hiring_objects["application_id"])
        hiring.record_screen_outcome(
            application, passed=True, actor=recruiter, expected_version=application.version
        )
        hiring.advance_application(
            application, actor=recruiter, expected_version=application.version
        )
    return hiring_objects


# --- the written assessment by e-mail ----------------------------------------------


def test_the_recruiter_reads_the_message_before_anything_is_sent(app, client, users, at_assessment):
    application_id = at_assessment["application_id"]
    login_as(app, client, users["recruiter"])
    page = client.get(f"/hiring/applications/{application_id}")
    assert "E-mail it to the candidate…" in page.text
    response = client.get(f"/hiring/applications/{application_id}/assessment/email")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    html = response.text
    assert "Casey Candidate &lt;casey@example.org&gt;" in html
    assert "Written assessment for Senior CSM, EMEA" in html
    assert "Dear Casey Candidate," in html
    assert "[the private link, made when you send]" in html
    assert "Send the e-mail" in html
    with app.app_context():
        assert messages() == []
        assert db.session.scalars(select(AssessmentInvitation)).all() == []
        read = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "candidate.view")
        ).all()[-1]
        assert read.summary["page"] == "assessment_email"


def test_confirming_e_mails_the_link_and_still_shows_it_once(
    app, client, users, at_assessment, caplog
):
    application_id = at_assessment["application_id"]
    login_as(app, client, users["recruiter"])
    caplog.set_level(logging.DEBUG)
    response = client.post(
        f"/hiring/applications/{application_id}/assessment/email",
        data={"version": version_of(app, application_id)},
    )
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert "on its way to Casey Candidate at <strong>casey@example.org</strong>" in response.text
    shown = SHOWN.search(response.text)
    assert shown is not None
    token = shown.group(1)
    with app.app_context():
        [message] = messages()
        assert message.kind == "assessment_link"
        assert message.status is MessageStatus.QUEUED
        assert (message.to_address, message.to_name) == ("casey@example.org", "Casey Candidate")
        assert message.candidate_id == at_assessment["candidate_id"]
        assert message.user_id is None
        assert (message.object_type, message.object_id) == ("application", application_id)
        assert message.subject == "Written assessment for Senior CSM, EMEA"
        mailed = MAILED.search(message.text_body)
        assert mailed is not None and mailed.group(1) == token
        assert f'href="http://localhost/assessment/{token}"' in message.html_body
        assert "Recruiter" in message.text_body  # signed by the recruiter who sent it
        invitation = db.session.scalars(select(AssessmentInvitation)).one()
        assert assessments.load_invitation(token).id == invitation.id
        # The token is in the message and the one-time page only: not in the audit log ...
        audited = db.session.scalars(select(AuditEvent)).all()
        assert all(token not in repr(event.summary) for event in audited)
        sent = [e for e in audited if e.action == "application.assessment_sent"][-1]
        assert sent.summary["emailed"] is True
    # ... not in any log line, and not in the session cookie.
    assert all(token not in record.getMessage() for record in caplog.records)
    with client.session_transaction() as session:
        assert token not in repr(dict(session))
    # Shown once: the application page no longer has it.
    assert token not in client.get(f"/hiring/applications/{application_id}").text


def test_the_assessment_message_arrives_over_smtp(
    app, client, users, at_assessment, mail_to_smtp, without_periodic_jobs
):
    application_id = at_assessment["application_id"]
    login_as(app, client, users["recruiter"])
    response = client.post(
        f"/hiring/applications/{application_id}/assessment/email",
        data={"version": version_of(app, application_id)},
    )
    token = SHOWN.search(response.text).group(1)
    with app.app_context():
        report = worker.run_once(app, worker="w1")
    # The assessment, and the fixture's invitation to its interviewer.
    assert report.sent == 2
    [received] = mail_to_smtp.to("casey@example.org")
    assert received.recipients == ["casey@example.org"]
    assert received.subject == "Written assessment for Senior CSM, EMEA"
    assert f"http://localhost/assessment/{token}" in received.text()
    assert f'href="http://localhost/assessment/{token}"' in received.html()
    assert "Casey Candidate" in str(received.message["To"])
    # The link in the message opens the candidate's page.
    assert client.get(f"/assessment/{token}").status_code == 200


def test_only_showing_the_link_sends_nothing(app, client, users, at_assessment):
    application_id = at_assessment["application_id"]
    login_as(app, client, users["recruiter"])
    response = client.post(
        f"/hiring/applications/{application_id}/assessment",
        data={"version": version_of(app, application_id)},
    )
    assert response.status_code == 200
    assert SHOWN.search(response.text) is not None
    assert "Copy this private link into your own message" in response.text
    assert outbox_count(app) == 0


def test_a_candidate_without_an_address_gets_a_clear_message_and_no_500(
    app, client, users, at_assessment
):
    application_id = at_assessment["application_id"]
    without_email(app, at_assessment["candidate_id"])
    login_as(app, client, users["recruiter"])
    page = client.get(f"/hiring/applications/{application_id}").text
    assert "E-mail it to the candidate" not in page
    assert "has no e-mail address in HireLadder" in page
    preview = client.get(f"/hiring/applications/{application_id}/assessment/email")
    assert preview.status_code == 302
    sent = client.post(
        f"/hiring/applications/{application_id}/assessment/email",
        data={"version": version_of(app, application_id)},
        follow_redirects=True,
    )
    assert sent.status_code == 200
    assert "has no e-mail address in HireLadder, so the written assessment cannot be sent" in (
        sent.text
    )
    with app.app_context():
        assert messages() == []
        assert db.session.scalars(select(AssessmentInvitation)).all() == []


def test_a_stale_send_queues_nothing(app, client, users, at_assessment):
    application_id = at_assessment["application_id"]
    login_as(app, client, users["recruiter"])
    response = client.post(
        f"/hiring/applications/{application_id}/assessment/email",
        data={"version": version_of(app, application_id) - 1},
        follow_redirects=True,
    )
    assert "changed by someone else" in response.text
    with app.app_context():
        assert messages() == []
        assert db.session.scalars(select(AssessmentInvitation)).all() == []


def test_a_send_whose_commit_fails_leaves_no_message(app, users, at_assessment):
    application_id = at_assessment["application_id"]
    with app.app_context(), app.test_request_context():
        application = db.session.get(Application, application_id)
        recruiter = db.session.get(User, users["recruiter"])
        bump_version_behind_the_session(application_id)
        with pytest.raises(ConflictError):
            assessments.send_assessment(application, actor=recruiter, by_email=True)
        assert messages() == []
        assert db.session.scalars(select(AssessmentInvitation)).all() == []


def test_sending_by_e_mail_is_refused_in_the_service_without_an_address(app, users, at_assessment):
    without_email(app, at_assessment["candidate_id"])
    with app.app_context():
        application = db.session.get(Application, at_assessment["application_id"])
        recruiter = db.session.get(User, users["recruiter"])
        with pytest.raises(ServiceError, match="has no e-mail address"):
            assessments.send_assessment(application, actor=recruiter, by_email=True)
        assert messages() == []
        assert db.session.scalars(select(AssessmentInvitation)).all() == []


# --- the decline message -------------------------------------------------------------

EDITED = (
    "Dear Casey,\n\nThank you for your time. We chose another candidate & wish you well.\n"
    "<script>alert('x')</script>\n\nBest,\nRecruiter"
)


def decline_url(hiring_objects) -> str:
    return f"/hiring/applications/{hiring_objects['application_id']}/decline/message"


def status_of(app, application_id: int) -> ApplicationStatus:
    with app.app_context():
        return db.session.get(Application, application_id).status


def test_the_compose_page_starts_from_a_polite_default(app, client, users, hiring_objects):
    login_as(app, client, users["recruiter"])
    page = client.get(f"/hiring/applications/{hiring_objects['application_id']}").text
    assert "Decline and write to the candidate…" in page
    assert "Decline without a message" in page
    response = client.get(decline_url(hiring_objects))
    assert response.status_code == 200
    html = response.text
    assert "Dear Casey Candidate," in html
    assert "Thank you for applying for the Senior CSM, EMEA role" in html
    assert "not to continue with your application" in html
    assert "casey@example.org" in html
    with app.app_context():
        default = candidate_messages.decline_default_text(
            db.session.get(Application, hiring_objects["application_id"]),
            db.session.get(User, users["recruiter"]),
        )
    # No reason, no internal note: only the polite words.
    for internal in ("reason", "Reason", "note", "experience", "skills"):
        assert internal not in default


def test_preview_shows_the_message_and_declines_nothing(app, client, users, hiring_objects):
    login_as(app, client, users["recruiter"])
    version = version_of(app, hiring_objects["application_id"])
    response = client.post(
        decline_url(hiring_objects),
        data={
            "version": version,
            "reason": "skills",
            "note": "Weak on renewals (internal)",
            "message": EDITED,
            "step": "preview",
        },
    )
    assert response.status_code == 200
    html = response.text
    assert "Check the message, then decline" in html
    assert "Your application for Senior CSM, EMEA" in html
    assert "Casey Candidate &lt;casey@example.org&gt;" in html
    assert "We chose another candidate &amp; wish you well." in html
    assert "Decline and send the message" in html
    assert status_of(app, hiring_objects["application_id"]) is ApplicationStatus.ACTIVE
    assert outbox_count(app) == 0
    # "Change it" brings the text back to edit, still declining nothing.
    again = client.post(
        decline_url(hiring_objects),
        data={"version": version, "reason": "skills", "message": EDITED, "step": "edit"},
    )
    assert again.status_code == 200
    assert "Preview the message" in again.text and "We chose another candidate" in again.text
    assert status_of(app, hiring_objects["application_id"]) is ApplicationStatus.ACTIVE
    assert outbox_count(app) == 0


def test_confirming_declines_and_queues_the_edited_text(app, client, users, hiring_objects):
    application_id = hiring_objects["application_id"]
    login_as(app, client, users["recruiter"])
    response = client.post(
        decline_url(hiring_objects),
        data={
            "version": version_of(app, application_id),
            "reason": "skills",
            "note": "Weak on renewals (internal)",
            "message": EDITED.replace("\n", "\r\n"),
            "step": "send",
        },
    )
    assert response.status_code == 302
    assert status_of(app, application_id) is ApplicationStatus.DECLINED
    with app.app_context():
        [message] = messages()
        assert message.kind == "decline"
        assert message.to_address == "casey@example.org"
        assert message.candidate_id == hiring_objects["candidate_id"]
        assert message.subject == "Your application for Senior CSM, EMEA"
        assert message.text_body == EDITED + "\n"
        # The HTML version escapes the recruiter's words and keeps their paragraphs.
        assert "<script>" not in message.html_body
        assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in message.html_body
        assert "another candidate &amp; wish you well.<br>" in message.html_body
        assert message.html_body.count("<p>") == 3
        for internal in ("Weak on renewals", "Skills do not match", "skills"):
            assert internal not in message.text_body and internal not in message.html_body
        declined = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "application.decline")
        ).one()
        assert declined.summary["message_to_candidate"] is True


def test_declining_without_a_message_sends_nothing(app, client, users, hiring_objects):
    application_id = hiring_objects["application_id"]
    login_as(app, client, users["recruiter"])
    client.post(
        f"/hiring/applications/{application_id}/decline",
        data={"version": version_of(app, application_id), "reason": "skills"},
    )
    assert status_of(app, application_id) is ApplicationStatus.DECLINED
    assert outbox_count(app) == 0


def test_an_empty_message_is_refused_on_the_field(app, client, users, hiring_objects):
    login_as(app, client, users["recruiter"])
    response = client.post(
        decline_url(hiring_objects),
        data={
            "version": version_of(app, hiring_objects["application_id"]),
            "reason": "skills",
            "message": "  \r\n ",
            "step": "preview",
        },
    )
    assert response.status_code == 422
    assert "The message to the candidate is empty" in response.text
    assert status_of(app, hiring_objects["application_id"]) is ApplicationStatus.ACTIVE


def test_a_stale_confirmation_declines_nothing_sends_nothing_and_keeps_the_text(
    app, client, users, hiring_objects
):
    application_id = hiring_objects["application_id"]
    login_as(app, client, users["recruiter"])
    stale = version_of(app, application_id) - 1
    response = client.post(
        decline_url(hiring_objects),
        data={"version": stale, "reason": "skills", "message": EDITED, "step": "send"},
    )
    assert response.status_code == 409
    assert "changed by someone else" in response.text
    assert "We chose another candidate" in response.text  # the text is not lost
    assert f'value="{version_of(app, application_id)}"' in response.text
    assert status_of(app, application_id) is ApplicationStatus.ACTIVE
    assert outbox_count(app) == 0


def test_a_decline_whose_commit_fails_queues_nothing(app, users, hiring_objects):
    application_id = hiring_objects["application_id"]
    with app.app_context():
        application = db.session.get(Application, application_id)
        recruiter = db.session.get(User, users["recruiter"])
        bump_version_behind_the_session(application_id)
        with pytest.raises(ConflictError):
            hiring.decline_application(
                application,
                actor=recruiter,
                reason_code="skills",
                note=None,
                expected_version=application.version,
                message="Thank you for your time.",
            )
        assert messages() == []
        assert db.session.get(Application, application_id).status is ApplicationStatus.ACTIVE


def test_no_decline_message_to_a_candidate_without_an_address(app, client, users, hiring_objects):
    application_id = hiring_objects["application_id"]
    without_email(app, hiring_objects["candidate_id"])
    login_as(app, client, users["recruiter"])
    assert (
        "Decline and write to the candidate"
        not in client.get(f"/hiring/applications/{application_id}").text
    )
    response = client.get(decline_url(hiring_objects), follow_redirects=True)
    assert "no e-mail address in HireLadder, so no message can be sent" in response.text
    with app.app_context():
        application = db.session.get(Application, application_id)
        with pytest.raises(ServiceError, match="no e-mail address"):
            hiring.decline_application(
                application,
                actor=db.session.get(User, users["recruiter"]),
                reason_code="skills",
                note=None,
                expected_version=application.version,
                message="Thank you.",
            )
        assert messages() == []
        assert db.session.get(Application, application_id).status is ApplicationStatus.ACTIVE


def test_a_declined_application_has_no_compose_page(app, client, users, hiring_objects):
    application_id = hiring_objects["application_id"]
    login_as(app, client, users["recruiter"])
    client.post(
        f"/hiring/applications/{application_id}/decline",
        data={"version": version_of(app, application_id), "reason": "skills"},
    )
    response = client.get(decline_url(hiring_objects), follow_redirects=True)
    assert "only an active application can be declined" in response.text


# --- the acknowledgement of an application -----------------------------------------


def second_requisition(recruiter: User, manager: User) -> Requisition:
    return hiring.create_requisition(
        title="CSM, Americas",
        level_id="csm",
        specialty_id=None,
        hiring_manager=manager,
        recruiter=recruiter,
        headcount=1,
        actor=recruiter,
    )


def test_an_acknowledged_application_queues_the_message_with_it(app, users, hiring_objects):
    with app.app_context():
        recruiter = db.session.get(User, users["recruiter"])
        requisition = second_requisition(recruiter, db.session.get(User, users["hiring_manager"]))
        candidate = db.session.get(Candidate, hiring_objects["candidate_id"])
        candidate.timezone = "America/New_York"
        db.session.commit()
        at = datetime(2026, 7, 1, 16, 30, tzinfo=UTC)
        application = hiring.open_application(
            candidate, requisition, actor=recruiter, at=at, acknowledge=True
        )
        [message] = messages()
        assert message.kind == "application_received"
        assert message.to_address == "casey@example.org"
        assert (message.object_type, message.object_id) == ("application", application.id)
        assert message.subject == "We received your application for CSM, Americas"
        assert "Wed 1 Jul 2026, 12:30 EDT" in message.text_body  # the candidate's zone
        assert "1. Recruiter Screening" in message.text_body
        assert "<li>Recruiter Screening</li>" in message.html_body


def test_an_application_opened_by_a_recruiter_sends_nothing(app, users, hiring_objects):
    with app.app_context():
        recruiter = db.session.get(User, users["recruiter"])
        requisition = second_requisition(recruiter, db.session.get(User, users["hiring_manager"]))
        candidate = db.session.get(Candidate, hiring_objects["candidate_id"])
        hiring.open_application(candidate, requisition, actor=recruiter)
        assert messages() == []


def test_a_refused_application_is_not_acknowledged(app, users, hiring_objects):
    with app.app_context():
        recruiter = db.session.get(User, users["recruiter"])
        candidate = db.session.get(Candidate, hiring_objects["candidate_id"])
        requisition = db.session.get(Requisition, hiring_objects["requisition_id"])
        with pytest.raises(hiring.DuplicateApplicationError):
            hiring.open_application(candidate, requisition, actor=recruiter, acknowledge=True)
        assert messages() == []


# --- erasure ----------------------------------------------------------------------


def test_erasing_the_candidate_removes_their_messages(app, client, users, hiring_objects):
    from app.services import privacy

    application_id = hiring_objects["application_id"]
    login_as(app, client, users["recruiter"])
    client.post(
        decline_url(hiring_objects),
        data={
            "version": version_of(app, application_id),
            "reason": "skills",
            "message": EDITED,
            "step": "send",
        },
    )
    with app.app_context():
        assert [m.kind for m in messages()] == ["decline"]
        candidate = db.session.get(Candidate, hiring_objects["candidate_id"])
        privacy.erase_candidate(
            candidate,
            actor=db.session.get(User, users["recruiter"]),
            expected_version=None,
            remove_cv=None,
        )
        assert messages() == []
        assert messages("interview_invitation") == []  # about the candidate: gone too
        erased = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "candidate.erase")
        ).one()
        assert erased.summary["messages"] == 2  # the decline, and the fixture's invitation
