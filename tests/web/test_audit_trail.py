"""The audit trail: each row's source, reads of personal data, refused access, CSRF
failures, rows that cannot be changed, and the admin's audit log showing and filtering
them.

Every test here fails on the code before it: rows had no address, reads and refusals left
no row, the database let rows change, and the log page had no source or kind filter.
"""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import delete, inspect, select, update
from sqlalchemy.exc import IntegrityError

from app.db import db
from app.models import AuditEvent, Role, User
from app.services import api_tokens, audit
from tests.conftest import PASSWORD, login_as

API = "/api/v1"
ADDRESS = "203.0.113.7"
AGENT = "Mozilla/5.0 (X11; Linux x86_64) HireLadderTest/1.0"
FROM = {"environ_base": {"REMOTE_ADDR": ADDRESS}, "headers": {"User-Agent": AGENT}}


def bearer(app: Flask, user_id: int) -> dict[str, str]:
    with app.app_context():
        user = db.session.get(User, user_id)
        assert user is not None
        _token, raw = api_tokens.issue(user, actor=None)
    return {"Authorization": f"Bearer {raw}", "User-Agent": AGENT}


def rows(app: Flask, *actions: str) -> list[AuditEvent]:
    """The audit rows with these actions, oldest first (detached, attributes loaded)."""
    with app.app_context():
        found = list(
            db.session.scalars(
                select(AuditEvent).where(AuditEvent.action.in_(actions)).order_by(AuditEvent.id)
            )
        )
        db.session.expunge_all()
        return found


def last_id(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(select(db.func.coalesce(db.func.max(AuditEvent.id), 0)))


def since(app: Flask, after: int) -> list[AuditEvent]:
    with app.app_context():
        found = list(
            db.session.scalars(
                select(AuditEvent).where(AuditEvent.id > after).order_by(AuditEvent.id)
            )
        )
        db.session.expunge_all()
        return found


# --- 1. every row carries its source -------------------------------------------------


def test_sign_in_rows_carry_the_address_and_user_agent(app, client, users):
    wrong = client.post(
        "/login", data={"email": "recruiter@example.org", "password": "not it"}, **FROM
    )
    assert wrong.status_code == 200
    right = client.post(
        "/login", data={"email": "recruiter@example.org", "password": PASSWORD}, **FROM
    )
    assert right.status_code == 302
    events = rows(app, "auth.sign_in", "auth.sign_in_failed")
    assert [e.action for e in events] == ["auth.sign_in_failed", "auth.sign_in"]
    assert {(e.address, e.user_agent) for e in events} == {(ADDRESS, AGENT)}


def test_rows_outside_a_request_have_no_source_and_a_long_agent_is_cut(app, client, users):
    # Users of the fixture were created outside any request, as the CLI does.
    created = rows(app, "user.create")
    assert created and {(e.address, e.user_agent) for e in created} == {(None, None)}
    client.post(
        "/login",
        data={"email": "nobody@example.org", "password": "x"},
        environ_base={"REMOTE_ADDR": "2001:db8::1"},
        headers={"User-Agent": "A" * 1000},
    )
    failed = rows(app, "auth.sign_in_failed")[-1]
    assert failed.address == "2001:db8::1"
    assert failed.user_agent == "A" * 256


# --- 2. reads of personal data -------------------------------------------------------


def test_the_application_page_is_audited_as_a_read_of_the_candidate(
    app, client, users, hiring_objects
):
    login_as(app, client, users["recruiter"])
    before = last_id(app)
    page = client.get(f"/hiring/applications/{hiring_objects['application_id']}", **FROM)
    assert page.status_code == 200
    assert b"casey@example.org" in page.data
    [event] = since(app, before)
    assert (event.action, event.channel, event.actor_id) == (
        "candidate.view",
        "web",
        users["recruiter"],
    )
    assert (event.object_type, event.object_id) == (
        "candidate",
        str(hiring_objects["candidate_id"]),
    )
    assert event.summary == {"application_id": hiring_objects["application_id"]}
    assert (event.address, event.user_agent) == (ADDRESS, AGENT)


def test_a_cv_download_is_audited(app, client, users, hiring_objects):
    login_as(app, client, users["hiring_manager"])
    before = last_id(app)
    response = client.get(f"/hiring/candidates/{hiring_objects['candidate_id']}/cv")
    assert response.status_code == 200
    response.close()
    [event] = since(app, before)
    assert (event.action, event.object_type, event.object_id, event.actor_id) == (
        "candidate.cv_download",
        "candidate",
        str(hiring_objects["candidate_id"]),
        users["hiring_manager"],
    )


def test_api_reads_of_applications_and_the_candidate_list_are_audited(
    app, client, users, hiring_objects
):
    headers = bearer(app, users["recruiter"])
    before = last_id(app)
    detail = client.get(f"{API}/applications/{hiring_objects['application_id']}", headers=headers)
    assert detail.status_code == 200
    listed = client.get(f"{API}/candidates?per_page=5", headers=headers)
    assert listed.status_code == 200
    view, listing = since(app, before)
    assert (view.action, view.channel, view.object_id) == (
        "candidate.view",
        "api",
        str(hiring_objects["candidate_id"]),
    )
    assert view.user_agent == AGENT
    # A list is one row naming the candidates it showed, by id.
    assert (listing.action, listing.channel, listing.object_type) == (
        "candidate.list",
        "api",
        "candidate",
    )
    assert listing.summary == {
        "ids": [hiring_objects["candidate_id"]],
        "count": 1,
        "searched": False,
    }


def test_packet_page_api_and_pdf_reads_are_audited(app, client, users, promotion_objects):
    packet_id = promotion_objects["draft_packet_id"]
    login_as(app, client, users["hiring_manager"])
    headers = bearer(app, users["hiring_manager"])
    before = last_id(app)
    assert client.get(f"/promotions/{packet_id}").status_code == 200
    assert client.get(f"{API}/promotions/{packet_id}", headers=headers).status_code == 200
    pdf = client.get(f"{API}/promotions/{packet_id}/document.pdf", headers=headers)
    assert pdf.status_code == 200
    etag = pdf.headers["ETag"]
    pdf.close()
    # A 304 sends nothing, so it is not a read.
    again = client.get(
        f"{API}/promotions/{packet_id}/document.pdf", headers={**headers, "If-None-Match": etag}
    )
    assert again.status_code == 304
    events = since(app, before)
    assert [(e.action, e.channel, e.object_type, e.object_id) for e in events] == [
        ("packet.view", "web", "promotion_packet", str(packet_id)),
        ("packet.view", "api", "promotion_packet", str(packet_id)),
        ("packet.pdf", "api", "promotion_packet", str(packet_id)),
    ]
    assert {e.actor_id for e in events} == {users["hiring_manager"]}


def test_the_feedback_page_is_audited_as_a_read_of_the_candidate(
    app, client, users, hiring_objects
):
    login_as(app, client, users["hiring_manager"])
    before = last_id(app)
    url = f"/hiring/applications/{hiring_objects['application_id']}/feedback"
    assert client.get(url).status_code == 200
    [event] = since(app, before)
    assert (event.action, event.object_type, event.object_id) == (
        "candidate.feedback_view",
        "candidate",
        str(hiring_objects["candidate_id"]),
    )
    assert event.summary == {"application_id": hiring_objects["application_id"], "scorecards": 0}


def test_the_api_candidate_list_keeps_a_constant_number_of_queries(
    app, client, users, count_queries
):
    """One audit row per page, whatever the page holds."""
    from app.services import hiring

    headers = bearer(app, users["recruiter"])
    client.get(f"{API}/candidates", headers=headers)  # the token's first use

    def add(count: int, prefix: str) -> None:
        with app.app_context():
            recruiter = db.session.get(User, users["recruiter"])
            for i in range(count):
                hiring.add_candidate(
                    hiring.CandidateDetails(name=f"{prefix} {i}", email=f"{prefix}{i}@ex.org"),
                    actor=recruiter,
                )

    add(1, "few")
    with count_queries() as few:
        client.get(f"{API}/candidates", headers=headers)
    add(12, "many")
    with count_queries() as many:
        client.get(f"{API}/candidates", headers=headers)
    assert many.count == few.count, many.statements
    inserts = [s for s in many.statements if s.lstrip().upper().startswith("INSERT")]
    assert len(inserts) == 1 and "audit_events" in inserts[0]


# --- 3. refused access ----------------------------------------------------------------


@pytest.fixture
def outsider(make_user) -> int:
    """A hiring manager of no requisition of the fixtures, and interviewer of nothing."""
    return make_user("outsider@example.org", [Role.HIRING_MANAGER, Role.INTERVIEWER])


def test_a_refused_application_is_audited_and_a_missing_one_is_not(
    app, client, users, hiring_objects, outsider
):
    login_as(app, client, outsider)
    application_id = hiring_objects["application_id"]
    before = last_id(app)
    refused = client.get(f"/hiring/applications/{application_id}", **FROM)
    missing = client.get("/hiring/applications/999999", **FROM)
    assert refused.status_code == missing.status_code == 404
    assert refused.data == missing.data  # the caller still cannot tell them apart
    [event] = since(app, before)
    assert (event.action, event.actor_id, event.channel) == ("access.denied", outsider, "web")
    assert (event.object_type, event.object_id) == ("application", str(application_id))
    assert event.summary == {"endpoint": "hiring.application", "status": 404}
    assert event.address == ADDRESS


@pytest.mark.parametrize(
    ("url", "object_type", "key", "endpoint"),
    [
        ("/hiring/requisitions/{}", "requisition", "requisition_id", "hiring.board"),
        ("/hiring/candidates/{}/cv", "candidate", "candidate_id", "hiring.candidate_cv"),
        ("/hiring/interviews/{}/scorecard", "interview", "interview_id", "hiring.scorecard"),
        ("/hiring/applications/{}/feedback", "application", "application_id", "hiring.feedback"),
        ("/api/v1/applications/{}", "application", "application_id", "api.application_detail"),
        ("/api/v1/interviews/{}", "interview", "interview_id", "api.interview_detail"),
    ],
)
def test_refused_hiring_objects_are_audited(
    app, client, users, hiring_objects, outsider, url, object_type, key, endpoint
):
    login_as(app, client, outsider)
    before = last_id(app)
    assert client.get(url.format(hiring_objects[key])).status_code == 404
    assert client.get(url.format(999999)).status_code == 404
    [event] = since(app, before)
    assert (event.action, event.object_type, event.object_id) == (
        "access.denied",
        object_type,
        str(hiring_objects[key]),
    )
    assert event.summary == {"endpoint": endpoint, "status": 404}
    assert event.channel == ("api" if url.startswith("/api") else "web")


def test_refused_packets_are_audited_on_the_pages_and_the_api(
    app, client, users, promotion_objects
):
    packet_id = promotion_objects["draft_packet_id"]
    headers = bearer(app, users["recruiter"])
    login_as(app, client, users["recruiter"])
    before = last_id(app)
    assert client.get(f"/promotions/{packet_id}").status_code == 404
    assert client.get(f"{API}/promotions/{packet_id}", headers=headers).status_code == 404
    assert (
        client.get(f"{API}/promotions/{packet_id}/document.pdf", headers=headers).status_code == 404
    )
    assert client.get("/promotions/999999").status_code == 404
    assert client.get(f"/promotions/new/{users['team_member']}").status_code == 404
    events = since(app, before)
    assert [(e.action, e.channel, e.object_type, e.summary["endpoint"]) for e in events] == [
        ("access.denied", "web", "promotion_packet", "promotions.packet"),
        ("access.denied", "api", "promotion_packet", "api.promotion_detail"),
        ("access.denied", "api", "promotion_packet", "api.promotion_document_pdf"),
        ("access.denied", "web", "user", "promotions.new"),
    ]
    assert {e.actor_id for e in events} == {users["recruiter"]}


def test_a_403_is_audited_with_the_object_the_url_names(app, client, users, hiring_objects):
    application_id = hiring_objects["application_id"]
    login_as(app, client, users["team_member"])
    headers = bearer(app, users["interviewer"])
    before = last_id(app)
    assert client.get(f"/hiring/applications/{application_id}").status_code == 403
    assert client.get(f"{API}/candidates", headers=headers).status_code == 403
    page, api = since(app, before)
    assert (page.action, page.object_type, page.object_id, page.actor_id) == (
        "access.denied",
        "application",
        str(application_id),
        users["team_member"],
    )
    assert page.summary == {"endpoint": "hiring.application", "status": 403}
    assert (api.action, api.channel, api.object_type, api.actor_id) == (
        "access.denied",
        "api",
        None,
        users["interviewer"],
    )
    assert api.summary == {"endpoint": "api.candidates", "status": 403}


def test_a_refused_autosave_is_audited(app, client, users, promotion_objects):
    packet_id = promotion_objects["submitted_packet_id"]
    login_as(app, client, users["admin"])  # may read it (and decide), not edit it
    before = last_id(app)
    response = client.post(
        f"/promotions/{packet_id}/sections/x", data={"evidence": "Text.", "version": "1"}
    )
    assert response.status_code == 403
    [event] = since(app, before)
    assert (event.action, event.object_type, event.object_id) == (
        "access.denied",
        "promotion_packet",
        str(packet_id),
    )
    assert event.summary == {"endpoint": "promotions.autosave", "status": 403}


def test_starting_a_packet_for_someone_elses_report_is_audited(app, client, users):
    headers = bearer(app, users["recruiter"])
    before = last_id(app)
    body = {"user_email": "team_member@example.org", "target_level_id": "senior-csm"}
    assert client.post(f"{API}/promotions", headers=headers, json=body).status_code == 403
    nobody = {**body, "user_email": "nobody@example.org"}
    assert client.post(f"{API}/promotions", headers=headers, json=nobody).status_code == 403
    [event] = since(app, before)
    assert (event.action, event.object_type, event.object_id) == (
        "access.denied",
        "user",
        str(users["team_member"]),
    )


def test_a_refusal_does_not_commit_what_the_request_had_started(app, client, users):
    """The refusal's own transaction: nothing pending in the session goes with it."""
    with app.test_request_context("/x"):
        user = db.session.get(User, users["team_member"])
        user.display_name = "Changed but never committed"
        audit.record_denial(actor=user, channel="web", endpoint="x", status=404)
    with app.app_context():
        assert db.session.get(User, users["team_member"]).display_name == "Team_Member"


# --- 4. CSRF failures -----------------------------------------------------------------


def test_a_csrf_failure_is_audited_without_the_form(app, client, users, csrf_enabled):
    login_as(app, client, users["admin"])
    before = last_id(app)
    response = client.post("/account/sign-out-everywhere", data={"secret": "do-not-log-me"}, **FROM)
    assert response.status_code == 400
    [event] = since(app, before)
    assert (event.action, event.actor_id, event.channel) == (
        "security.csrf_failed",
        users["admin"],
        "web",
    )
    assert set(event.summary) == {"endpoint", "method", "reason"}
    assert event.summary["endpoint"] == "auth.sign_out_everywhere"
    assert event.summary["method"] == "POST"
    assert "do-not-log-me" not in repr(event.summary)
    assert (event.address, event.user_agent) == (ADDRESS, AGENT)


def test_an_anonymous_csrf_failure_is_audited_too(app, client, csrf_enabled):
    before = last_id(app)
    assert client.post("/login", data={"email": "a@example.org"}).status_code == 400
    [event] = since(app, before)
    assert (event.action, event.actor_id, event.summary["endpoint"]) == (
        "security.csrf_failed",
        None,
        "auth.login",
    )


# --- 5. rows that cannot be changed ---------------------------------------------------


def _one_row(app: Flask, actor_id: int | None) -> int:
    with app.app_context():
        event = audit.record(
            "test.kept",
            actor=db.session.get(User, actor_id) if actor_id else None,
            object_type="thing",
            object_id=1,
        )
        db.session.commit()
        return event.id


@pytest.mark.parametrize(
    "values",
    [{"action": "test.rewritten"}, {"summary": {}}, {"actor_id": None, "action": "test.x"}],
)
def test_an_audit_row_cannot_be_updated(app, users, values):
    event_id = _one_row(app, users["admin"])
    with app.app_context():
        with pytest.raises(IntegrityError, match="cannot be changed or deleted"):
            db.session.execute(update(AuditEvent).where(AuditEvent.id == event_id).values(values))
        db.session.rollback()
        event = db.session.get(AuditEvent, event_id)
        assert (event.action, event.actor_id) == ("test.kept", users["admin"])


def test_an_audit_row_cannot_be_updated_through_the_orm_or_deleted(app, users):
    event_id = _one_row(app, users["admin"])
    with app.app_context():
        event = db.session.get(AuditEvent, event_id)
        event.object_id = "2"
        with pytest.raises(IntegrityError, match="cannot be changed or deleted"):
            db.session.flush()
        db.session.rollback()
        with pytest.raises(IntegrityError, match="cannot be changed or deleted"):
            db.session.execute(delete(AuditEvent).where(AuditEvent.id == event_id))
        db.session.rollback()
        assert db.session.get(AuditEvent, event_id) is not None


def test_deleting_a_user_row_only_clears_the_actor_of_its_rows(app, make_user):
    """The app never deletes users (it deactivates them); the database still can, and
    then the foreign key's SET NULL is the one change the rows accept."""
    user_id = make_user("leaver@example.org")
    event_id = _one_row(app, user_id)
    with app.app_context():
        db.session.execute(delete(User).where(User.id == user_id))
        db.session.commit()
        event = db.session.get(AuditEvent, event_id)
        assert (event.actor_id, event.action, event.object_id) == (None, "test.kept", "1")


# --- 8. the admin's audit log ---------------------------------------------------------


def test_the_audit_page_shows_the_source_and_filters_reads_and_refusals(
    app, client, users, hiring_objects, outsider
):
    reader = app.test_client()
    login_as(app, reader, users["recruiter"])
    reader.get(f"/hiring/applications/{hiring_objects['application_id']}", **FROM)
    login_as(app, reader, outsider)
    reader.get(f"/hiring/applications/{hiring_objects['application_id']}", **FROM)

    login_as(app, client, users["admin"])
    everything = client.get("/admin/audit").get_data(as_text=True)
    assert ADDRESS in everything
    assert f'title="{AGENT}"' in everything
    reads = client.get("/admin/audit?kind=reads").get_data(as_text=True)
    assert "<code>candidate.view</code>" in reads
    assert "<code>access.denied</code>" not in reads
    assert "<code>user.create</code>" not in reads
    denied = client.get("/admin/audit?kind=denied").get_data(as_text=True)
    assert "<code>access.denied</code>" in denied
    assert "<code>candidate.view</code>" not in denied
    by_address = client.get(f"/admin/audit?address={ADDRESS}").get_data(as_text=True)
    assert by_address.count("<code>") == 2
    bad = client.get("/admin/audit?kind=everything")
    assert bad.status_code == 200
    assert "Not a valid choice" in bad.get_data(as_text=True)


# --- candidates' own requests ---------------------------------------------------------


def test_a_candidates_own_requests_leave_no_address_in_the_log(
    app, client, users, hiring_objects, csrf_enabled
):
    """A candidate's address and browser are their personal data; audit rows outlive
    erasure, so the candidate-facing pages never put them there."""
    import re

    from app.models import Application
    from app.services import assessments, hiring

    with app.app_context():
        recruiter = db.session.get(User, users["recruiter"])
        application = db.session.get(Application, hiring_objects["application_id"])
        hiring.record_screen_outcome(
            application, passed=True, actor=recruiter, expected_version=application.version
        )
        hiring.advance_application(
            application, actor=recruiter, expected_version=application.version
        )
        _invitation, token = assessments.send_assessment(application, actor=recruiter)
    before = last_id(app)
    answers = {f"answer_{n}": f"Answer {n}." for n in range(7)}
    assert client.post(f"/assessment/{token}", data=answers, **FROM).status_code == 400
    page = client.get(f"/assessment/{token}", **FROM)
    csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page.text)
    assert csrf is not None
    sent = client.post(
        f"/assessment/{token}", data={**answers, "csrf_token": csrf.group(1)}, **FROM
    )
    assert sent.status_code == 303
    events = since(app, before)
    assert [e.action for e in events] == [
        "security.csrf_failed",
        "application.assessment_received",
    ]
    assert {(e.address, e.user_agent) for e in events} == {(None, None)}
    assert token not in repr([e.summary for e in events])


def test_a_read_is_one_insert_and_leaves_what_the_request_read_loaded(app, users, count_queries):
    """A list page records its read after building its answer; the commit used to expire
    every object the page had read, the caller included, which the hooks after the view
    then read again."""
    with count_queries() as counted, app.test_request_context("/api/v1/applications", **FROM):
        reader = db.session.get(User, users["recruiter"])
        assert reader is not None
        counted.statements.clear()
        audit.record_read(
            audit.CANDIDATE_LIST,
            actor=reader,
            channel="api",
            object_type="application",
            summary={"ids": [7], "count": 1},
        )
        assert not inspect(reader).expired_attributes
        assert reader.display_name  # read from the object, not the database
    assert [s.split()[0].upper() for s in counted.statements] == ["INSERT"]
    row = rows(app, audit.CANDIDATE_LIST)[-1]
    assert (row.actor_id, row.channel, row.object_type, row.summary) == (
        users["recruiter"],
        "api",
        "application",
        {"ids": [7], "count": 1},
    )
    assert (row.address, row.user_agent) == (ADDRESS, AGENT)
    assert row.occurred_at is not None
