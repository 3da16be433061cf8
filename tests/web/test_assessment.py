"""The written assessment: sent by the recruiter after a passed screen, answered once by the
candidate through a private link that needs no account and expires."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta

import pytest
from flask import g, render_template_string
from sqlalchemy import select

from app.clock import utcnow
from app.db import db
from app.models import Application, AssessmentInvitation, AuditEvent, User
from app.services import assessments, hiring
from app.services.assessments import AlreadyAnsweredError, AnswersRejected, InvitationClosedError
from app.services.errors import ConflictError, ServiceError
from pipelines.errors import TransitionError
from tests.conftest import login_as

LINK = re.compile(r"http://hireladder\.test/assessment/([A-Za-z0-9_\-]+)")


def answers_for(count: int, text: str = "At Acme I ran the onboarding of 40 accounts.") -> dict:
    return {f"answer_{n}": f"{text} ({n + 1})" for n in range(count)}


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
        assert application.stage_id == "written-assessment"
    return hiring_objects


def send(app, users, application_id: int, **kwargs) -> str:
    with app.app_context():
        application = db.session.get(Application, application_id)
        _invitation, token = assessments.send_assessment(
            application, actor=db.session.get(User, users["recruiter"]), **kwargs
        )
        return token


def invitation_of(application_id: int) -> AssessmentInvitation:
    return db.session.scalars(
        select(AssessmentInvitation).where(AssessmentInvitation.application_id == application_id)
    ).one()


# --- sending ------------------------------------------------------------------------


def test_the_assessment_is_sent_only_after_a_passed_screen(app, users, hiring_objects):
    with app.app_context():
        application = db.session.get(Application, hiring_objects["application_id"])
        recruiter = db.session.get(User, users["recruiter"])
        with pytest.raises(TransitionError, match="after a passed screen; the application is at"):
            assessments.send_assessment(application, actor=recruiter)
        hiring.record_screen_outcome(
            application, passed=False, actor=recruiter, expected_version=application.version
        )
        with pytest.raises(TransitionError, match="Recruiter Screening"):
            assessments.send_assessment(application, actor=recruiter)
        assert db.session.scalars(select(AssessmentInvitation)).all() == []
        assert application.assessment_sent_at is None


def test_recruiter_sends_it_and_sees_the_link_once(app, client, users, at_assessment):
    application_id = at_assessment["application_id"]
    login_as(app, client, users["recruiter"])
    with app.app_context():
        version = db.session.get(Application, application_id).version
    response = client.post(
        f"/hiring/applications/{application_id}/assessment", data={"version": version}
    )
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    page = response
    assert "Copy this private link into your own message" in page.text
    match = LINK.search(page.text)
    assert match is not None
    token = match.group(1)
    # Shown once: the next page view no longer has it.
    assert token not in client.get(f"/hiring/applications/{application_id}").text
    with app.app_context():
        invitation = invitation_of(application_id)
        application = db.session.get(Application, application_id)
        assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
        assert invitation.sent_by_id == users["recruiter"]
        assert application.assessment_sent_at == invitation.sent_at
        assert invitation.expires_at - invitation.sent_at == timedelta(days=7)
        assert len(invitation.questions) == 7
        assert invitation.answers is None and invitation.used_at is None


def test_the_link_never_rides_in_the_session_cookie(app, client, users, at_assessment):
    """The signed cookie is readable by anyone who holds it: the link must not be in it."""
    application_id = at_assessment["application_id"]
    login_as(app, client, users["recruiter"])
    with app.app_context():
        version = db.session.get(Application, application_id).version
    response = client.post(
        f"/hiring/applications/{application_id}/assessment", data={"version": version}
    )
    # Read the cookie before anything else is requested (a flash would be consumed).
    with client.session_transaction() as session:
        in_session = repr(dict(session))
    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    assert LINK.search(in_session) is None, "the private link is in the session cookie"
    link = LINK.search(response.text)
    assert link is not None, "the link is shown in the answer to the POST itself"
    token = link.group(1)
    with app.app_context():
        assert (
            hashlib.sha256(token.encode()).hexdigest() == invitation_of(application_id).token_hash
        )
    assert token not in in_session
    assert cookie is None or token not in cookie.value


def test_the_raw_token_is_stored_nowhere(app, users, at_assessment, _isolated_db):
    token = send(app, users, at_assessment["application_id"])
    with app.app_context():
        invitation = invitation_of(at_assessment["application_id"])
        assert invitation.token_hash != token
        for table in ("assessment_invitations", "audit_events", "applications"):
            rows = _isolated_db.exec_driver_sql(f"SELECT * FROM {table}").fetchall()  # noqa: S608
            assert token not in repr(rows)


def test_a_second_live_link_is_refused_until_the_first_expires(app, users, at_assessment):
    application_id = at_assessment["application_id"]
    long_ago = utcnow() - timedelta(days=10)
    old_token = send(app, users, application_id, now=long_ago)
    new_token = send(app, users, application_id)
    with app.app_context():
        application = db.session.get(Application, application_id)
        with pytest.raises(
            ServiceError, match=r"already sent on .* valid until .* once it expires"
        ):
            assessments.send_assessment(application, actor=db.session.get(User, users["recruiter"]))
    assert old_token != new_token


def test_once_answered_it_is_not_sent_again(app, users, at_assessment):
    application_id = at_assessment["application_id"]
    token = send(app, users, application_id)
    with app.app_context():
        invitation = assessments.load_invitation(token)
        assessments.submit_answers(invitation, ["An answer."] * len(invitation.questions))
        application = db.session.get(Application, application_id)
        with pytest.raises(ServiceError, match="answers were already received"):
            assessments.send_assessment(application, actor=db.session.get(User, users["recruiter"]))


def test_a_stale_version_is_a_conflict(app, client, users, at_assessment):
    application_id = at_assessment["application_id"]
    with app.app_context():
        stale = db.session.get(Application, application_id).version - 1
        with pytest.raises(ConflictError):
            assessments.send_assessment(
                db.session.get(Application, application_id),
                actor=db.session.get(User, users["recruiter"]),
                expected_version=stale,
            )
    login_as(app, client, users["recruiter"])
    response = client.post(
        f"/hiring/applications/{application_id}/assessment",
        data={"version": stale},
        follow_redirects=True,
    )
    assert "changed by someone else" in response.text
    with app.app_context():
        assert db.session.scalars(select(AssessmentInvitation)).all() == []


def test_sending_at_the_screen_shows_the_pipelines_reason(app, client, users, hiring_objects):
    application_id = hiring_objects["application_id"]
    login_as(app, client, users["recruiter"])
    with app.app_context():
        version = db.session.get(Application, application_id).version
    response = client.post(
        f"/hiring/applications/{application_id}/assessment",
        data={"version": version},
        follow_redirects=True,
    )
    assert "sent only at the written assessment stage, after a passed screen" in response.text


def test_sending_for_an_application_one_cannot_see_is_404(app, client, users):
    login_as(app, client, users["recruiter"])
    assert client.post("/hiring/applications/999999/assessment").status_code == 404


# --- the candidate's page -----------------------------------------------------------


def test_the_link_works_once(app, client, users, at_assessment):
    application_id = at_assessment["application_id"]
    token = send(app, users, application_id)
    page = client.get(f"/assessment/{token}")
    assert page.status_code == 200
    assert "Senior CSM, EMEA" in page.text
    assert "Describe your experience with the following, with a concrete example:" in page.text
    # Nothing else about the application: no name, e-mail, stage or status.
    for private in ("Casey", "casey@example.org", "Recruiter Screening", "recruiter@"):
        assert private not in page.text
    assert page.headers["Cache-Control"] == "no-store"
    assert page.headers["Referrer-Policy"] == "no-referrer"
    assert "noindex" in page.headers["X-Robots-Tag"]

    sent = client.post(f"/assessment/{token}", data=answers_for(7))
    assert sent.status_code == 303
    received = client.get(sent.headers["Location"])
    assert received.status_code == 200
    assert "your answers were received" in received.text

    again = client.post(f"/assessment/{token}", data=answers_for(7, "Something else"))
    assert again.status_code == 200
    assert "your answers were received" in again.text
    with app.app_context():
        invitation = invitation_of(application_id)
        assert invitation.answers[0].startswith("At Acme")
        assert all("Something else" not in answer for answer in invitation.answers)


def test_answers_land_on_the_application_and_let_it_advance(app, client, users, at_assessment):
    application_id = at_assessment["application_id"]
    token = send(app, users, application_id)
    with app.app_context():
        application = db.session.get(Application, application_id)
        with pytest.raises(TransitionError, match="answers have not been received yet"):
            hiring.advance_application(
                application,
                actor=db.session.get(User, users["recruiter"]),
                expected_version=application.version,
            )
    client.post(f"/assessment/{token}", data=answers_for(7))
    with app.app_context():
        application = db.session.get(Application, application_id)
        invitation = invitation_of(application_id)
        assert application.assessment_received_at == invitation.used_at is not None
        assert len(invitation.answers) == 7
        assert hiring.evidence_for(application)["written-assessment"].assessment_received
        hiring.advance_application(
            application,
            actor=db.session.get(User, users["recruiter"]),
            expected_version=application.version,
        )
        assert application.stage_id == "hiring-manager-interview"


def test_audit_rows_hold_no_answers(app, client, users, at_assessment):
    token = send(app, users, at_assessment["application_id"])
    client.post(f"/assessment/{token}", data=answers_for(7, "Confidential story about Acme"))
    with app.app_context():
        events = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action.like("application.assessment_%"))
        ).all()
        assert [e.action for e in events] == [
            "application.assessment_sent",
            "application.assessment_received",
        ]
        assert events[1].actor_id is None
        assert events[1].summary["answers"] == 7
        assert "Acme" not in repr([e.summary for e in events])
        assert token not in repr([e.summary for e in events])


def test_an_expired_link_is_410_and_says_to_contact_the_recruiter(
    app, client, users, at_assessment
):
    token = send(app, users, at_assessment["application_id"], now=utcnow() - timedelta(days=8))
    page = client.get(f"/assessment/{token}")
    assert page.status_code == 410
    assert "contact the recruiter" in page.text
    assert page.headers["Cache-Control"] == "no-store"
    assert client.post(f"/assessment/{token}", data=answers_for(7)).status_code == 410
    with app.app_context():
        assert invitation_of(at_assessment["application_id"]).used_at is None


def test_an_unknown_token_is_404(app, client, at_assessment):
    assert client.get("/assessment/nothing-here").status_code == 404
    assert client.get(f"/assessment/{'x' * 500}").status_code == 404


def test_a_declined_application_closes_the_link(app, client, users, at_assessment):
    application_id = at_assessment["application_id"]
    token = send(app, users, application_id)
    with app.app_context():
        application = db.session.get(Application, application_id)
        hiring.decline_application(
            application,
            actor=db.session.get(User, users["recruiter"]),
            reason_code="position_filled",
            note=None,
            expected_version=application.version,
        )
    page = client.get(f"/assessment/{token}")
    assert page.status_code == 410
    assert "no longer open" in page.text
    assert "declined" not in page.text.lower()


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        ("   ", "Answer question 2."),
        ("x" * 10_001, "Shorten the answer to question 2 to at most 10,000 characters"),
    ],
)
def test_every_answer_is_needed_and_limited(app, client, users, at_assessment, answer, message):
    token = send(app, users, at_assessment["application_id"])
    data = answers_for(7)
    data["answer_1"] = answer
    page = client.post(f"/assessment/{token}", data=data)
    assert page.status_code == 200
    assert message in page.text
    assert "At Acme I ran the onboarding of 40 accounts. (1)" in page.text  # kept in the form
    with app.app_context():
        assert invitation_of(at_assessment["application_id"]).used_at is None


def test_an_answer_of_exactly_the_limit_is_accepted_with_line_breaks_counted_once(
    app, users, at_assessment
):
    token = send(app, users, at_assessment["application_id"])
    with app.app_context():
        invitation = assessments.load_invitation(token)
        # 5,000 lines sent by a browser as CRLF: 10,000 characters once normalised.
        long = "x\r\n" * 4_999 + "xx"
        assessments.submit_answers(invitation, [long] + ["ok"] * 6)
        assert invitation_of(at_assessment["application_id"]).answers[0].count("\r") == 0


def test_the_service_refuses_missing_answers(app, users, at_assessment):
    token = send(app, users, at_assessment["application_id"])
    with app.app_context():
        invitation = assessments.load_invitation(token)
        with pytest.raises(AnswersRejected) as caught:
            assessments.submit_answers(invitation, ["only one"])
        assert set(caught.value.problems) == {1, 2, 3, 4, 5, 6}


def test_two_submissions_racing_on_one_link_let_exactly_one_through(app, users, at_assessment):
    application_id = at_assessment["application_id"]
    token = send(app, users, application_id)
    # Both requests load the invitation before either submits: the first keeps a snapshot
    # taken while the link was still unused.
    with app.app_context():
        first = assessments.load_invitation(token)
        assert first is not None and first.used_at is None
        db.session.expunge(first)
        db.session.rollback()
    with app.app_context():
        second = assessments.load_invitation(token)
        assert second is not None and second.used_at is None
        assessments.submit_answers(second, ["Second request"] * 7)
    with app.app_context():
        assert first.used_at is None  # the stale snapshot still says "unused"
        with pytest.raises(AlreadyAnsweredError, match="already received"):
            assessments.submit_answers(first, ["First request"] * 7)
        invitation = invitation_of(application_id)
        assert invitation.answers == ["Second request"] * 7
        received = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "application.assessment_received")
        ).all()
        assert len(received) == 1


def test_the_service_refuses_an_expired_link(app, users, at_assessment):
    token = send(app, users, at_assessment["application_id"])
    with app.app_context():
        invitation = assessments.load_invitation(token)
        later = invitation.expires_at + timedelta(seconds=1)
        with pytest.raises(InvitationClosedError, match="expired"):
            assessments.submit_answers(invitation, ["ok"] * 7, later)


def test_the_public_post_needs_a_csrf_token(app, client, users, at_assessment, csrf_enabled):
    token = send(app, users, at_assessment["application_id"])
    refused = client.post(f"/assessment/{token}", data=answers_for(7))
    assert refused.status_code == 400
    assert b"security token is missing" in refused.data
    page = client.get(f"/assessment/{token}")
    csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page.text)
    assert csrf is not None
    accepted = client.post(
        f"/assessment/{token}", data={**answers_for(7), "csrf_token": csrf.group(1)}
    )
    assert accepted.status_code == 303


# --- the partial on the application page ----------------------------------------------


def render_partial(app, user_id: int, application_id: int) -> str:
    with app.test_request_context():
        g._login_user = db.session.get(User, user_id)
        application = db.session.get(Application, application_id)
        return render_template_string(
            '{% include "hiring/_assessment.html" %}', application=application
        )


def test_partial_offers_the_send_button_to_recruiters_only(app, users, at_assessment):
    application_id = at_assessment["application_id"]
    html = render_partial(app, users["recruiter"], application_id)
    assert "Not sent yet." in html
    assert f"/hiring/applications/{application_id}/assessment" in html
    assert 'name="csrf_token"' in html
    manager = render_partial(app, users["hiring_manager"], application_id)
    assert "Not sent yet." in manager
    assert "Send the written assessment" not in manager


def test_partial_explains_why_not_yet_at_the_screen(app, users, hiring_objects):
    html = render_partial(app, users["recruiter"], hiring_objects["application_id"])
    assert "Send the written assessment" not in html
    assert "after a passed screen" in html


def test_partial_shows_sent_then_answers_to_the_hiring_manager(app, client, users, at_assessment):
    application_id = at_assessment["application_id"]
    token = send(app, users, application_id)
    html = render_partial(app, users["recruiter"], application_id)
    assert "Sent on" in html and "valid until" in html
    assert "Send the written assessment" not in html
    client.post(f"/assessment/{token}", data=answers_for(7, "Line one\r\nline <two>"))
    for role in ("hiring_manager", "recruiter", "admin"):
        html = render_partial(app, users[role], application_id)
        assert "answers received on" in html
        assert "Line one<br>line &lt;two&gt; (1)" in html
        assert "Describe your experience with the following" in html
    assert render_partial(app, users["interviewer"], application_id).strip() == ""


def test_partial_offers_a_new_link_once_the_old_one_expired(app, users, at_assessment):
    application_id = at_assessment["application_id"]
    send(app, users, application_id, now=utcnow() - timedelta(days=8))
    html = render_partial(app, users["recruiter"], application_id)
    assert "expired on" in html
    assert "Send a new link" in html
