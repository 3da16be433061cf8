"""The whole hiring process through the JSON API, from the application to the hire, and
the refusals of the endpoints that finish it: the written assessment by e-mail, the
reference check, the offer (with its terms, tests/web/test_offers.py), the hire and the
decline message."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import func, select
from werkzeug.routing import Rule

from app.api.openapi import DOCUMENT
from app.db import db
from app.models import (
    Application,
    AssessmentInvitation,
    AuditEvent,
    Candidate,
    OutboxMessage,
    Role,
    StageTransition,
    User,
)
from app.services import api_tokens, decisions

API = "/api/v1"
LINK = re.compile(r"/assessment/([A-Za-z0-9_\-]{20,})")


def bearer(app: Flask, user_id: int) -> dict[str, str]:
    with app.app_context():
        user = db.session.get(User, user_id)
        assert user is not None
        _token, raw = api_tokens.issue(user, actor=None, scope="write")
    return {"Authorization": f"Bearer {raw}"}


@pytest.fixture
def tokens(app, users) -> dict[str, dict[str, str]]:
    return {role: bearer(app, user_id) for role, user_id in users.items()}


def call(client, method, path, headers, body=None):
    return client.open(f"{API}{path}", method=method, headers=headers, json=body)


def outbox(app, kind: str) -> list[OutboxMessage]:
    with app.app_context():
        rows = list(
            db.session.scalars(
                select(OutboxMessage).where(OutboxMessage.kind == kind).order_by(OutboxMessage.id)
            )
        )
        db.session.expunge_all()
        return rows


def last_audit_id(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.coalesce(func.max(AuditEvent.id), 0)))


def audit_rows(app, after_id: int) -> list[tuple[str, str, str, str | None]]:
    """``(action, channel, object_type, object_id)`` of the rows after ``after_id``."""
    with app.app_context():
        return [
            tuple(row)
            for row in db.session.execute(
                select(
                    AuditEvent.action,
                    AuditEvent.channel,
                    AuditEvent.object_type,
                    AuditEvent.object_id,
                )
                .where(AuditEvent.id > after_id)
                .order_by(AuditEvent.id)
            )
        ]


@pytest.fixture
def panel(app, make_user) -> dict[str, int]:
    """Two team members who interview, and the holder of the executive stage's level."""
    ids = {
        "member1": make_user("pat@example.org", (Role.TEAM_MEMBER, Role.INTERVIEWER)),
        "member2": make_user("sam@example.org", (Role.TEAM_MEMBER, Role.INTERVIEWER)),
        "executive": make_user("dana@example.org", (Role.TEAM_MEMBER,)),
    }
    with app.app_context():
        executive = db.session.get(User, ids["executive"])
        executive.level_id = "senior-director-csm"
        db.session.commit()
    return ids


def submit_positive(client, headers, interview_id) -> None:
    criteria = call(client, "GET", f"/interviews/{interview_id}", headers).json["criteria"]
    response = call(
        client,
        "POST",
        f"/interviews/{interview_id}/scorecard",
        headers,
        {
            "ratings": {c["id"]: "yes" for c in criteria},
            "recommendation": "yes",
            "notes": "Clear examples for every criterion.",
        },
    )
    assert response.status_code == 201, response.json


# --- the whole process ----------------------------------------------------------------


def test_the_whole_process_from_application_to_hire_runs_through_the_api(
    app, client, users, tokens, panel
):
    recruiter, manager = tokens["recruiter"], tokens["hiring_manager"]
    start = last_audit_id(app)

    requisition = call(
        client,
        "POST",
        "/requisitions",
        recruiter,
        {"level_id": "senior-csm", "hiring_manager_email": "hiring_manager@example.org"},
    )
    assert requisition.status_code == 201, requisition.json
    stages = [s["id"] for s in requisition.json["stages"]]
    candidate = call(
        client,
        "POST",
        "/candidates",
        recruiter,
        {"name": "Robin Reyes", "email": "robin@example.org", "consent_on": "2030-01-15"},
    )
    assert candidate.status_code == 201, candidate.json
    opened = call(
        client,
        "POST",
        "/applications",
        recruiter,
        {"candidate_id": candidate.json["id"], "requisition_id": requisition.json["id"]},
    )
    assert opened.status_code == 201, opened.json
    application_id = opened.json["id"]
    app_url = f"/applications/{application_id}"
    assert opened.json["assessment"] is None and opened.json["references_passed"] is None

    def move(headers, action, body=None, status=200):
        current = call(client, "GET", app_url, headers).json
        response = call(
            client,
            "POST",
            f"{app_url}/{action}",
            headers,
            {**(body or {}), "version": current["version"]},
        )
        assert response.status_code == status, (action, response.json)
        return response.json

    move(recruiter, "screen", {"passed": True})
    assert move(recruiter, "advance")["stage"]["id"] == "written-assessment"

    # The written assessment: read the message first (nothing is sent), then send it.
    preview = move(recruiter, "assessment", {"preview": True})
    assert preview["to"]["address"] == "robin@example.org"
    assert "[the private link, made when you send]" in preview["text"]
    assert outbox(app, "assessment_link") == []
    sent = move(recruiter, "assessment", {"expires_in_days": 3}, status=201)
    assert sent["assessment"]["status"] == "open"
    assert sent["assessment"]["received_at"] is None
    (message,) = outbox(app, "assessment_link")
    assert message.to_address == "robin@example.org"
    token = LINK.search(message.text_body).group(1)
    # The link goes to the candidate alone: never into the API's answer.
    detail = call(client, "GET", app_url, recruiter)
    assert token not in detail.text

    # The candidate answers on the public page the e-mail links to.
    page = client.get(f"/assessment/{token}")
    assert page.status_code == 200
    fields = sorted(set(re.findall(r'name="(answer_\d+)"', page.text)))
    assert fields
    answered = client.post(
        f"/assessment/{token}",
        data={name: "At Acme I ran the onboarding of 40 accounts." for name in fields},
    )
    assert answered.status_code == 303  # to the "received" page
    detail = call(client, "GET", app_url, recruiter).json
    assert detail["assessment"]["status"] == "answered"
    assert detail["assessment"]["received_at"] is not None
    assert move(recruiter, "advance")["stage"]["id"] == "hiring-manager-interview"

    interviewers = {
        "hiring-manager-interview": [("hiring_manager@example.org", manager)],
        "peer-interview": [("interviewer@example.org", tokens["interviewer"])],
        "panel-interview": [
            ("hiring_manager@example.org", manager),
            ("pat@example.org", bearer(app, panel["member1"])),
            ("sam@example.org", bearer(app, panel["member2"])),
        ],
        "executive-interview": [("dana@example.org", bearer(app, panel["executive"]))],
    }
    for number, (stage, seats) in enumerate(interviewers.items()):
        scheduled = call(
            client,
            "POST",
            f"{app_url}/interviews",
            recruiter,
            {
                "stage": stage,
                "interviewer_emails": [email for email, _ in seats],
                "scheduled_at": f"2030-03-0{number + 4}T10:00:00+01:00",
            },
        )
        assert scheduled.status_code == 201, scheduled.json
        for _email, headers in seats:
            submit_positive(client, headers, scheduled.json["id"])
        # Only the hiring manager moves the candidate into the reference check.
        move(manager if stage == "executive-interview" else recruiter, "advance")

    at_references = call(client, "GET", app_url, recruiter).json
    assert at_references["stage"]["kind"] == "references"
    # The web's "advance" does not make the offer: it is drafted with its terms.
    refused = move(manager, "advance", status=409)["error"]
    assert "offer form" in refused["detail"]
    # The single-move offer is retired: offers have terms, from the hire decision.
    assert move(manager, "offer", status=410)["error"]["status"] == 410
    with app.app_context():
        decisions.record_decision(
            db.session.get(Application, application_id),
            actor=db.session.get(User, users["hiring_manager"]),
            outcome="hire",
            level_id=None,
            rationale=None,
            expected_version=None,
        )
    offers_url = f"{app_url}/offers"
    # No offer before the reference check is passed: a rule, not a stale version.
    early = call(client, "POST", offers_url, recruiter, {})
    assert early.status_code == 409
    assert early.json["error"]["title"] == "Not possible now"
    assert early.json["error"]["conflict"] == "rule"
    assert "not complete yet" in early.json["error"]["detail"]
    assert move(recruiter, "references", {"passed": True})["references_passed"] is True
    # On the hiring manager's hire decision, the recruiter drafts the offer.
    drafted = call(client, "POST", offers_url, recruiter, {"start_date": "2099-09-01"})
    assert drafted.status_code == 201, drafted.json
    offer_url = f"/offers/{drafted.json['id']}"

    def offer_move(action, body=None):
        current = call(client, "GET", offer_url, recruiter).json
        response = call(
            client,
            "POST",
            f"{offer_url}/{action}",
            recruiter,
            {**(body or {}), "version": current["version"]},
        )
        assert response.status_code == 200, (action, response.json)
        return response.json

    offered = call(client, "GET", app_url, recruiter).json
    assert (offered["status"], offered["stage"]["id"]) == ("offer", stages[-1])
    offer_move("extend")
    offer_move("accept")
    assert offer_move("hire")["hired_user_id"] is not None
    hired = call(client, "GET", app_url, recruiter).json
    assert hired["status"] == "hired"

    history = hired["history"]
    assert [h["action"] for h in history] == [
        "open",
        *["advance"] * 5,
        "move_to_references",
        "make_offer",
        "hire",
    ]
    assert [h["to"]["stage"] for h in history] == [*stages, stages[-1], stages[-1]]
    assert [h["to"]["status"] for h in history][-2:] == ["offer", "hired"]
    assert history[-2]["actor"]["id"] == users["recruiter"]
    assert history[-1]["actor"]["id"] == users["recruiter"]
    assert history[-1]["overridden"] == [] and hired["overridden"] == []
    with app.app_context():
        stored = db.session.get(Application, application_id)
        assert stored.status == "hired" and stored.references_passed is True
        assert (
            db.session.scalar(
                select(func.count())
                .select_from(StageTransition)
                .where(StageTransition.application_id == application_id)
            )
            == 9
        )

    rows = audit_rows(app, start)
    about = [
        (action, channel)
        for action, channel, kind, object_id in rows
        if kind == "application" and object_id == str(application_id)
    ]
    assert about == [
        ("application.open", "api"),
        ("application.screen_outcome", "api"),
        ("application.advance", "api"),
        ("application.assessment_sent", "api"),
        ("application.assessment_received", "web"),
        *[("application.advance", "api")] * 4,
        ("application.move_to_references", "api"),
        ("application.decision", "web"),
        ("application.references_outcome", "api"),
        ("application.make_offer", "api"),
        ("application.hire", "api"),
    ]
    # The assessment's preview showed the candidate's address: the read is audited.
    assert ("candidate.view", "api", "candidate", str(candidate.json["id"])) in rows


# --- the written assessment -------------------------------------------------------------


def erase(app, client, tokens, candidate_id: int) -> None:
    """Erase the candidate's personal data (through the API): no e-mail address is left."""
    with app.app_context():
        version = db.session.get(Candidate, candidate_id).version
    url = f"/candidates/{candidate_id}/erase"
    response = call(client, "POST", url, tokens["recruiter"], {"version": version})
    assert response.status_code == 200, response.json


@pytest.fixture
def at_assessment(app, client, tokens, hiring_objects) -> str:
    """The fixture's application, screened and at the written assessment stage."""
    url = f"/applications/{hiring_objects['application_id']}"
    recruiter = tokens["recruiter"]
    for action, body in (("screen", {"passed": True}), ("advance", {})):
        response = call(client, "POST", f"{url}/{action}", recruiter, body)
        assert response.status_code == 200, response.json
    return url


def test_the_assessment_is_refused_before_its_stage_as_a_rule_not_a_conflict(
    app, client, tokens, hiring_objects
):
    url = f"/applications/{hiring_objects['application_id']}/assessment"
    response = call(client, "POST", url, tokens["recruiter"], {})
    assert response.status_code == 409
    error = response.json["error"]
    assert error["title"] == "Not possible now" and error["conflict"] == "rule"
    assert "only at the written assessment stage" in error["detail"]
    assert "current_version" not in error
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AssessmentInvitation)) == 0
    assert outbox(app, "assessment_link") == []


def test_a_stale_version_is_changed_meanwhile(app, client, tokens, at_assessment):
    current = call(client, "GET", at_assessment, tokens["recruiter"]).json["version"]
    for body in ({"version": current - 1}, {"version": current - 1, "preview": True}):
        response = call(client, "POST", f"{at_assessment}/assessment", tokens["recruiter"], body)
        assert response.status_code == 409, body
        error = response.json["error"]
        assert (error["title"], error["conflict"]) == ("Changed meanwhile", "stale")
        assert error["current_version"] == current
    assert outbox(app, "assessment_link") == []


def test_the_preview_sends_nothing_and_the_send_queues_one_message(
    app, client, tokens, at_assessment
):
    recruiter = tokens["recruiter"]
    preview = call(client, "POST", f"{at_assessment}/assessment", recruiter, {"preview": True})
    assert preview.status_code == 200, preview.json
    assert preview.json["message"] is None
    assert preview.json["to"] == {
        "name": "Casey Candidate",
        "address": "casey@example.org",
        "timezone": None,
    }
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AssessmentInvitation)) == 0
    sent = call(client, "POST", f"{at_assessment}/assessment", recruiter, {})
    assert sent.status_code == 201, sent.json
    assert sent.headers["Location"].endswith(f"{API}{at_assessment}")
    assert len(outbox(app, "assessment_link")) == 1
    # A second link while the first works is refused, with the reason.
    again = call(client, "POST", f"{at_assessment}/assessment", recruiter, {})
    assert again.status_code == 409
    assert "valid until" in again.json["error"]["detail"]
    assert again.json["error"]["title"] == "Not possible now"
    assert len(outbox(app, "assessment_link")) == 1


def test_the_link_is_valid_for_the_days_asked(app, client, tokens, at_assessment):
    sent = call(
        client, "POST", f"{at_assessment}/assessment", tokens["recruiter"], {"expires_in_days": 2}
    )
    assert sent.status_code == 201, sent.json
    with app.app_context():
        invitation = db.session.scalar(select(AssessmentInvitation))
        assert invitation.expires_at - invitation.sent_at == timedelta(days=2)


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"expires_in_days": 0}, 422, "expires_in_days"),
        ({"expires_in_days": 31}, 422, "expires_in_days"),
        ({"expires_in_days": "7"}, 400, "expires_in_days"),
        ({"preview": "yes"}, 400, "preview"),
        ({"link": True}, 400, "link"),
    ],
)
def test_bad_assessment_bodies_name_the_field(client, tokens, at_assessment, body, status, field):
    response = call(client, "POST", f"{at_assessment}/assessment", tokens["recruiter"], body)
    assert response.status_code == status
    assert field in response.json["error"]["fields"]


def test_a_candidate_without_an_address_gets_no_assessment_by_api(
    app, client, tokens, hiring_objects, at_assessment
):
    erase(app, client, tokens, hiring_objects["candidate_id"])
    for body in ({}, {"preview": True}):
        response = call(client, "POST", f"{at_assessment}/assessment", tokens["recruiter"], body)
        assert response.status_code == 409
        detail = response.json["error"]["detail"]
        assert "no e-mail address" in detail and "Only show me the link" in detail
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AssessmentInvitation)) == 0


def test_the_hiring_manager_may_not_send_the_assessment(client, tokens, at_assessment):
    response = call(client, "POST", f"{at_assessment}/assessment", tokens["hiring_manager"], {})
    assert response.status_code == 403


def test_a_closed_application_gets_no_assessment(app, client, tokens, at_assessment):
    recruiter = tokens["recruiter"]
    call(client, "POST", f"{at_assessment}/withdraw", recruiter, {})
    response = call(client, "POST", f"{at_assessment}/assessment", recruiter, {})
    assert response.status_code == 409
    assert "withdrawn" in response.json["error"]["detail"]


# --- references, offer, hire ------------------------------------------------------------


def test_references_offer_and_hire_are_refused_at_the_screen(app, client, tokens, hiring_objects):
    url = f"/applications/{hiring_objects['application_id']}"
    manager = tokens["hiring_manager"]
    start = last_audit_id(app)
    for action, body, words in (
        ("references", {"passed": True}, "only be recorded while it runs"),
    ):
        response = call(client, "POST", f"{url}/{action}", manager, body)
        assert response.status_code == 409, action
        assert response.json["error"]["title"] == "Not possible now"
        assert words in response.json["error"]["detail"], action
    after = call(client, "GET", url, manager).json
    assert (after["stage"]["id"], after["status"]) == ("recruiter-screening", "active")
    assert [a for a, *_ in audit_rows(app, start) if a != "candidate.view"] == []


@pytest.mark.parametrize(
    ("action", "body", "status", "field"),
    [
        ("references", {}, 422, "passed"),
        ("references", {"passed": "yes"}, 400, "passed"),
        ("offers", {"override_reason": "x" * 2001}, 422, "override_reason"),
        ("offers", {"start_date": 20300101}, 400, "start_date"),
        ("offers", {"version": "1"}, 400, "version"),
    ],
)
def test_bad_bodies_name_the_field(client, tokens, hiring_objects, action, body, status, field):
    url = f"/applications/{hiring_objects['application_id']}/{action}"
    response = call(client, "POST", url, tokens["recruiter"], body)
    assert response.status_code == status, response.json
    assert field in response.json["error"]["fields"]


def test_references_and_offers_with_a_stale_version_change_nothing(
    app, client, tokens, hiring_objects
):
    url = f"/applications/{hiring_objects['application_id']}"
    current = call(client, "GET", url, tokens["recruiter"]).json["version"]
    for action, body in (("references", {"passed": True}), ("offers", {})):
        response = call(
            client, "POST", f"{url}/{action}", tokens["hiring_manager"], {**body, "version": 0}
        )
        assert response.status_code == 409
        assert response.json["error"]["conflict"] == "stale"
        assert response.json["error"]["current_version"] == current


# --- the decline message ---------------------------------------------------------------


def test_decline_with_a_message_queues_it_with_the_decline(app, client, tokens, hiring_objects):
    url = f"/applications/{hiring_objects['application_id']}/decline"
    manager = tokens["hiring_manager"]
    start = last_audit_id(app)
    preview = call(client, "POST", url, manager, {"reason": "skills", "preview": True})
    assert preview.status_code == 200, preview.json
    default = preview.json["message"]
    assert "Casey Candidate" in default and default in preview.json["text"].replace("\r", "")
    assert preview.json["to"]["address"] == "casey@example.org"
    assert outbox(app, "decline") == []
    assert call(client, "GET", url.removesuffix("/decline"), manager).json["status"] == "active"

    text = "Dear Casey,\n\nThank you for your time. We chose another candidate.\n\nBest, HM"
    declined = call(
        client,
        "POST",
        url,
        manager,
        {"reason": "other", "note": "Internal: weak on renewals.", "message": text},
    )
    assert declined.status_code == 200, declined.json
    assert declined.json["status"] == "declined"
    (message,) = outbox(app, "decline")
    assert message.to_address == "casey@example.org"
    assert "another candidate" in message.text_body
    assert "renewals" not in message.text_body and "Other" not in message.text_body
    rows = audit_rows(app, start)
    assert ("candidate.view", "api") in {(a, c) for a, c, *_ in rows}
    assert ("application.decline", "api") in {(a, c) for a, c, *_ in rows}
    with app.app_context():
        event = db.session.scalar(
            select(AuditEvent).where(AuditEvent.action == "application.decline")
        )
        assert event.summary["message_to_candidate"] is True


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"reason": "skills", "message": "  "}, 422, "message"),
        ({"reason": "skills", "message": "x" * 5001}, 422, "message"),
        ({"reason": "skills", "message": "x" * 10_001}, 422, "message"),
        ({"reason": "other", "message": "Hello", "preview": True}, 422, "note"),
        ({"reason": "nope", "message": "Hello"}, 422, "reason"),
        ({"reason": "skills", "message": 5}, 400, "message"),
    ],
)
def test_bad_decline_messages_name_the_field(
    app, client, tokens, hiring_objects, body, status, field
):
    url = f"/applications/{hiring_objects['application_id']}/decline"
    response = call(client, "POST", url, tokens["recruiter"], body)
    assert response.status_code == status, response.json
    assert field in response.json["error"]["fields"]
    assert outbox(app, "decline") == []
    assert (
        call(client, "GET", url.removesuffix("/decline"), tokens["recruiter"]).json["status"]
        == "active"
    )


def test_no_decline_message_without_an_address_or_once_closed(app, client, tokens, hiring_objects):
    url = f"/applications/{hiring_objects['application_id']}"
    recruiter = tokens["recruiter"]
    erase(app, client, tokens, hiring_objects["candidate_id"])
    for extra in ({}, {"preview": True}):
        body = {"reason": "skills", "message": "Thank you.", **extra}
        response = call(client, "POST", f"{url}/decline", recruiter, body)
        assert response.status_code == 409
        assert "no e-mail address" in response.json["error"]["detail"]
        assert response.json["error"]["conflict"] == "rule"
    # Without a message it declines; then a preview says it is closed.
    assert (
        call(client, "POST", f"{url}/decline", recruiter, {"reason": "skills"}).status_code == 200
    )
    closed = call(
        client, "POST", f"{url}/decline", recruiter, {"reason": "skills", "preview": True}
    )
    assert closed.status_code == 409
    assert "only an active application can be declined" in closed.json["error"]["detail"]
    assert outbox(app, "decline") == []


# --- the OpenAPI document covers every route ---------------------------------------------


def openapi_path(rule: str) -> str:
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.removeprefix(API))


def undocumented(rules, document) -> set[tuple[str, str]]:
    """``(path, method)`` of the API's routes the document does not describe."""
    routes = {
        (openapi_path(rule.rule), method.lower())
        for rule in rules
        if rule.endpoint.startswith("api.")
        for method in rule.methods or ()
        if method not in ("HEAD", "OPTIONS")
    }
    documented = {
        (path, method) for path, operations in document["paths"].items() for method in operations
    }
    return routes - documented


def test_every_api_route_is_described_in_the_openapi_document(app):
    assert undocumented(app.url_map.iter_rules(), DOCUMENT) == set()
    described = DOCUMENT["paths"]
    for path in ("assessment", "references", "offers"):
        operation = described[f"/applications/{{application_id}}/{path}"]["post"]
        assert operation["description"] and operation["requestBody"]
    for path in ("offer", "hire"):
        operation = described[f"/applications/{{application_id}}/{path}"]["post"]
        assert operation["deprecated"] is True and "410" in operation["responses"]


def test_a_route_added_without_a_description_is_caught(app):
    extra = Rule(
        "/api/v1/applications/<int:application_id>/onboard",
        endpoint="api.application_onboard",
        methods=["POST"],
    )
    assert undocumented([*app.url_map.iter_rules(), extra], DOCUMENT) == {
        ("/applications/{application_id}/onboard", "post")
    }
    # A method added to a described path is caught too.
    patch = Rule(
        "/api/v1/applications/<int:application_id>/hire",
        endpoint="api.application_hire_patch",
        methods=["PATCH"],
    )
    assert undocumented([patch], DOCUMENT) == {("/applications/{application_id}/hire", "patch")}


# --- the answers are the documented ones --------------------------------------------------


def test_answers_match_the_openapi_document(app, client, tokens, hiring_objects):
    from tests.web.test_api_hiring import conformance, documented_schema

    url = f"/applications/{hiring_objects['application_id']}"
    recruiter, manager = tokens["recruiter"], tokens["hiring_manager"]
    template = "/applications/{application_id}"
    calls = [
        ("assessment", recruiter, {}),  # 409: at the screen
        ("assessment", manager, {}),  # 403
        ("assessment", recruiter, {"expires_in_days": 0}),  # 422
        ("references", recruiter, {"passed": 1}),  # 400
        ("offers", manager, {"version": 0}),  # 409 stale
        ("offer", manager, {}),  # 410: retired
        ("hire", manager, {}),  # 410: retired
        ("decline", recruiter, {"reason": "skills", "preview": True}),  # 200 preview
        ("screen", recruiter, {"passed": True}),
        ("advance", recruiter, {}),
        ("assessment", recruiter, {"preview": True}),  # 200 preview
        ("assessment", recruiter, {}),  # 201
        ("decline", recruiter, {"reason": "skills", "message": "Thank you."}),  # 200
        ("references", recruiter, {"passed": True}),  # 409: declined
    ]
    seen = []
    for action, headers, body in calls:
        response = call(client, "POST", f"{url}/{action}", headers, body)
        seen.append(response.status_code)
        schema = documented_schema(f"{template}/{action}", "POST", response.status_code)
        assert conformance(schema, response.json) == [], (action, body, response.json)
    assert seen == [409, 403, 422, 400, 409, 410, 410, 200, 200, 200, 200, 201, 200, 409]
