"""The hiring JSON API: a candidate from screen to references, and every refusal."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from sqlalchemy import func, select

from app.api.openapi import DOCUMENT
from app.db import db
from app.models import AuditEvent, Requisition, Role, User
from app.services import api_tokens, hiring
from tests.conftest import login_as

API = "/api/v1"


def bearer(app: Flask, user_id: int) -> dict[str, str]:
    with app.app_context():
        user = db.session.get(User, user_id)
        assert user is not None
        _token, raw = api_tokens.issue(user, actor=None)
    return {"Authorization": f"Bearer {raw}"}


@pytest.fixture
def tokens(app, users) -> dict[str, dict[str, str]]:
    """Authorization headers per role of the ``users`` fixture."""
    return {role: bearer(app, user_id) for role, user_id in users.items()}


def call(client, method, path, headers, body=None):
    return client.open(f"{API}{path}", method=method, headers=headers, json=body)


def submit_positive(client, headers, interview_id, recommendation="yes"):
    detail = call(client, "GET", f"/interviews/{interview_id}", headers)
    assert detail.status_code == 200, detail.json
    criteria = detail.json["criteria"]
    assert criteria, "an interview stage rates criteria from the ladder"
    assert {"id", "text", "source", "scope", "origin"} <= set(criteria[0])
    response = call(
        client,
        "POST",
        f"/interviews/{interview_id}/scorecard",
        headers,
        {
            "ratings": {c["id"]: "yes" for c in criteria},
            "recommendation": recommendation,
            "notes": "Clear examples for every criterion.",
        },
    )
    assert response.status_code == 201, response.json
    assert response.json["submitted"] is True
    return response.json


# --- the whole pipeline -------------------------------------------------------------


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


def test_a_candidate_runs_from_screen_to_references_through_the_api(
    app, client, users, tokens, panel
):
    recruiter, manager = tokens["recruiter"], tokens["hiring_manager"]

    levels = call(client, "GET", "/ladder/levels?family=customer-success-management", recruiter)
    assert levels.status_code == 200
    senior = next(lv for lv in levels.json["items"] if lv["id"] == "senior-csm")
    assert senior["grade"] == 7
    assert senior["reports_to"]["levels"] == ["manager-csm", "senior-manager-csm"]
    assert {lv["family"] for lv in levels.json["items"]} == {"customer-success-management"}

    created = call(
        client,
        "POST",
        "/requisitions",
        recruiter,
        {
            "level_id": "senior-csm",
            "title": "Senior CSM, EMEA",
            "hiring_manager_email": "Hiring_Manager@example.org",
            "headcount": 2,
        },
    )
    assert created.status_code == 201, created.json
    requisition = created.json
    assert created.headers["Location"].endswith(f"/api/v1/requisitions/{requisition['id']}")
    assert requisition["recruiter"]["id"] == users["recruiter"]  # defaults to the caller
    assert requisition["hiring_manager"]["id"] == users["hiring_manager"]
    stages = [s["id"] for s in requisition["stages"]]
    assert stages == [
        "recruiter-screening",
        "written-assessment",
        "hiring-manager-interview",
        "peer-interview",
        "panel-interview",
        "executive-interview",
        "reference-and-background-check",
    ]
    assert requisition["stages"][4] == {
        "id": "panel-interview",
        "name": requisition["stages"][4]["name"],
        "kind": "panel",
        "duration_minutes": 60,
    }

    candidate = call(
        client,
        "POST",
        "/candidates",
        recruiter,
        {
            "name": "Robin Reyes",
            "email": "robin@example.org",
            "source": "referral",
            "consent_on": "2030-01-15",
        },
    )
    assert candidate.status_code == 201, candidate.json
    opened = call(
        client,
        "POST",
        "/applications",
        recruiter,
        {"candidate_id": candidate.json["id"], "requisition_id": requisition["id"]},
    )
    assert opened.status_code == 201, opened.json
    application = opened.json
    app_url = f"/applications/{application['id']}"
    assert (application["stage"]["id"], application["status"]) == ("recruiter-screening", "active")

    def move(headers, action, body=None):
        current = call(client, "GET", app_url, headers).json
        response = call(
            client, "POST", f"{app_url}/{action}", headers, {**(body or {}), **_v(current)}
        )
        return response

    assert move(recruiter, "screen", {"passed": True}).status_code == 200
    assert move(recruiter, "advance").json["stage"]["id"] == "written-assessment"
    # The assessment is neither sent nor answered: the rules refuse the move...
    refused = move(recruiter, "advance")
    assert refused.status_code == 409
    assert "written assessment has not been sent" in refused.json["error"]["detail"]
    # ... and the hiring manager overrides them with a written reason.
    overridden = move(manager, "advance", {"override_reason": "Take-home done in the old ATS."})
    assert overridden.status_code == 200, overridden.json
    assert overridden.json["stage"]["id"] == "hiring-manager-interview"
    assert overridden.json["overridden"] == ["written-assessment"]

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
            manager,
            {
                "stage": stage,
                "interviewer_emails": [email for email, _ in seats],
                "scheduled_at": f"2030-03-0{number + 4}T10:00:00+01:00",
                "location": "Room 4",
            },
        )
        assert scheduled.status_code == 201, scheduled.json
        interview = scheduled.json
        assert interview["scheduled_at"] == f"2030-03-0{number + 4}T09:00:00+00:00"
        assert len(interview["interviewer_ids"]) == len(seats)
        for _email, headers in seats:
            submit_positive(client, headers, interview["id"])
        if stage == "executive-interview":
            break
        advanced = move(recruiter, "advance")
        assert advanced.status_code == 200, advanced.json
        assert advanced.json["stage"]["id"] == stages[stages.index(stage) + 1]

    # Only the hiring manager moves a candidate into references.
    refused = move(recruiter, "advance")
    assert refused.status_code == 409
    assert "only the hiring manager" in refused.json["error"]["detail"]
    done = move(manager, "advance")
    assert done.status_code == 200, done.json
    final = done.json
    assert (final["stage"]["id"], final["status"]) == ("reference-and-background-check", "active")

    history = final["history"]
    assert [h["to"]["stage"] for h in history] == stages
    assert history[0]["from"] is None
    assert history[0]["actor"] == {"id": users["recruiter"], "name": "Recruiter"}
    assert history[2]["reason"] == "Take-home done in the old ATS."
    assert history[-1]["actor"]["id"] == users["hiring_manager"]
    assert history[-1]["from"] == {"stage": "executive-interview", "status": "active"}
    assert [i["stage"] for i in final["interviews"]] == list(interviewers)
    assert final["interviews"][0]["interviewer_ids"] == [users["hiring_manager"]]


def _v(application: dict) -> dict[str, int]:
    return {"version": application["version"]}


# --- the audit log's channel ----------------------------------------------------------


def audit_since(app, after_id: int) -> list[tuple[str, str, str | None]]:
    """``(action, channel, object_id)`` of the audit rows added after ``after_id``."""
    with app.app_context():
        return [
            tuple(row)
            for row in db.session.execute(
                select(AuditEvent.action, AuditEvent.channel, AuditEvent.object_id)
                .where(AuditEvent.id > after_id)
                .order_by(AuditEvent.id)
            )
        ]


def last_audit_id(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.coalesce(func.max(AuditEvent.id), 0)))


def test_changes_through_the_api_are_audited_as_api_and_web_forms_as_web(
    app, client, users, tokens, hiring_objects
):
    recruiter, manager, interviewer = (
        tokens["recruiter"],
        tokens["hiring_manager"],
        tokens["interviewer"],
    )
    fixture_app_id = hiring_objects["application_id"]

    # The same kind of change through a web form: the screen outcome, recorded as "web".
    web = app.test_client()
    login_as(app, web, users["recruiter"])
    # (Reading the application is audited too, as a read: count from after it.)
    version = call(client, "GET", f"/applications/{fixture_app_id}", recruiter).json["version"]
    before_web = last_audit_id(app)
    posted = web.post(
        f"/hiring/applications/{fixture_app_id}/screen",
        data={"version": version, "outcome": "passed"},
    )
    assert posted.status_code == 302
    assert [(action, channel) for action, channel, _ in audit_since(app, before_web)] == [
        ("application.screen_outcome", "web")
    ]

    # Every kind of change the API offers, recorded as "api".
    start = last_audit_id(app)
    requisition = call(
        client, "POST", "/requisitions", recruiter, {**REQUISITION, "title": "Audited"}
    )
    assert requisition.status_code == 201, requisition.json
    candidate = call(
        client,
        "POST",
        "/candidates",
        recruiter,
        {"name": "Ari Audit", "email": "ari@example.org", "consent_on": "2030-01-15"},
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
    app_url = f"/applications/{opened.json['id']}"

    def act(headers, url, action, body=None):
        current = call(client, "GET", url, headers).json
        response = call(client, "POST", f"{url}/{action}", headers, {**(body or {}), **_v(current)})
        assert response.status_code == 200, response.json
        return response.json

    act(recruiter, app_url, "screen", {"passed": True})
    assert act(recruiter, app_url, "advance")["stage"]["id"] == "written-assessment"

    schedule = {
        "stage": "peer-interview",
        "interviewer_emails": ["interviewer@example.org"],
        "scheduled_at": "2030-03-04T10:00:00+01:00",
    }
    scheduled = call(client, "POST", f"{app_url}/interviews", manager, schedule)
    assert scheduled.status_code == 201, scheduled.json
    interview_id = scheduled.json["id"]
    moved = call(
        client,
        "POST",
        f"{app_url}/interviews",
        manager,
        {**schedule, "scheduled_at": "2030-03-05T10:00:00+01:00"},
    )
    assert moved.status_code == 200, moved.json
    draft = call(
        client,
        "POST",
        f"/interviews/{interview_id}/scorecard",
        interviewer,
        {"ratings": {}, "submit": False},
    )
    assert draft.status_code == 201, draft.json
    submitted = submit_positive_again(
        client,
        interviewer,
        interview_id,
        call(client, "GET", f"/interviews/{interview_id}", interviewer).json["criteria"],
    )
    assert submitted.status_code == 200, submitted.json
    assert submitted.json["submitted"] is True

    act(recruiter, app_url, "withdraw", {"reason": "Took another offer."})
    act(manager, f"/applications/{fixture_app_id}", "decline", {"reason": "skills"})

    rows = audit_since(app, start)
    assert {action for action, _, _ in rows} == {
        "requisition.create",
        "candidate.create",
        "application.open",
        "application.screen_outcome",
        "application.advance",
        "interview.schedule",
        "interview.reschedule",
        "scorecard.save_draft",
        "scorecard.submit",
        "application.withdraw",
        "application.decline",
        # The reads of the application on the way (to learn its version) are audited too.
        "candidate.view",
    }
    assert [row for row in rows if row[1] != "api"] == []


# --- refusals -----------------------------------------------------------------------


@pytest.fixture
def application_url(hiring_objects) -> str:
    return f"/applications/{hiring_objects['application_id']}"


def test_a_move_the_rules_forbid_answers_409_with_the_reason(client, tokens, application_url):
    recruiter = tokens["recruiter"]
    refused = call(client, "POST", f"{application_url}/advance", recruiter, {})
    assert refused.status_code == 409
    assert refused.json["error"]["detail"].startswith("Cannot leave Recruiter Screening")
    assert "screen outcome is not recorded" in refused.json["error"]["detail"]

    # Only the hiring manager may override.
    refused = call(
        client, "POST", f"{application_url}/advance", recruiter, {"override_reason": "Trust me"}
    )
    assert refused.status_code == 409
    assert "Only the hiring manager can override" in refused.json["error"]["detail"]

    declined = call(
        client, "POST", f"{application_url}/decline", recruiter, {"reason": "experience"}
    )
    assert declined.status_code == 200
    assert declined.json["status"] == "declined"
    assert declined.json["history"][-1]["reason"] == "experience"
    closed = call(client, "POST", f"{application_url}/withdraw", recruiter, {})
    assert closed.status_code == 409
    assert "closed" in closed.json["error"]["detail"]


def test_a_stale_version_answers_409(client, tokens, application_url):
    recruiter = tokens["recruiter"]
    version = call(client, "GET", application_url, recruiter).json["version"]
    passed = call(
        client, "POST", f"{application_url}/screen", recruiter, {"passed": True, "version": version}
    )
    assert passed.status_code == 200
    assert passed.json["version"] == version + 1
    stale = call(client, "POST", f"{application_url}/advance", recruiter, {"version": version})
    assert stale.status_code == 409
    assert "changed by someone else" in stale.json["error"]["detail"]
    assert stale.json["error"]["current_version"] == version + 1
    fresh = call(client, "POST", f"{application_url}/advance", recruiter, {"version": version + 1})
    assert fresh.status_code == 200
    assert fresh.json["stage"]["id"] == "written-assessment"


def test_a_duplicate_candidate_answers_409_with_the_existing_id(client, tokens, hiring_objects):
    response = call(
        client,
        "POST",
        "/candidates",
        tokens["recruiter"],
        {"name": "Casey Again", "email": " CASEY@Example.org ", "consent_on": "2030-01-01"},
    )
    assert response.status_code == 409
    assert response.json["error"]["existing_id"] == hiring_objects["candidate_id"]
    assert "already exists" in response.json["error"]["detail"]


def test_an_application_that_exists_answers_409(client, tokens, hiring_objects):
    response = call(
        client,
        "POST",
        "/applications",
        tokens["recruiter"],
        {
            "candidate_id": hiring_objects["candidate_id"],
            "requisition_id": hiring_objects["requisition_id"],
        },
    )
    assert response.status_code == 409
    assert "already in this requisition's pipeline" in response.json["error"]["detail"]


REQUISITION = {"level_id": "senior-csm", "hiring_manager_email": "hiring_manager@example.org"}


@pytest.mark.parametrize(
    ("path", "body", "fields"),
    [
        ("/requisitions", {}, {"level_id", "hiring_manager_email"}),
        ("/requisitions", {**REQUISITION, "level_id": "no-such-level"}, {"level_id"}),
        ("/requisitions", {**REQUISITION, "level_id": "manager-success-services"}, {"level_id"}),
        ("/requisitions", {**REQUISITION, "specialty": "rocket-science"}, {"specialty"}),
        (
            "/requisitions",
            {**REQUISITION, "hiring_manager_email": "nobody@example.org"},
            {"hiring_manager_email"},
        ),
        (
            "/requisitions",
            {**REQUISITION, "hiring_manager_email": "team_member@example.org"},
            {"hiring_manager_email"},
        ),
        (
            "/requisitions",
            {**REQUISITION, "recruiter_email": "interviewer@example.org"},
            {"recruiter_email"},
        ),
        ("/requisitions", {**REQUISITION, "headcount": 0}, {"headcount"}),
        ("/requisitions", {**REQUISITION, "title": "x" * 201}, {"title"}),
        ("/candidates", {"name": " ", "email": "not-an-address"}, {"name", "email", "consent_on"}),
        (
            "/candidates",
            {"name": "A", "email": "a@example.org", "consent_on": "15/01/2030"},
            {"consent_on"},
        ),
        ("/applications", {"candidate_id": 999999, "requisition_id": 999999}, None),
    ],
)
def test_invalid_fields_answer_422_with_messages_per_field(
    client, tokens, hiring_objects, path, body, fields
):
    response = call(client, "POST", path, tokens["recruiter"], body)
    assert response.status_code == 422, response.json
    error = response.json["error"]
    assert error["status"] == 422
    expected = fields or {"candidate_id", "requisition_id"}
    assert set(error["fields"]) == expected
    assert all(isinstance(m, str) and m for ms in error["fields"].values() for m in ms)


def test_decline_reasons_are_checked(client, tokens, application_url):
    manager = tokens["hiring_manager"]
    unknown = call(client, "POST", f"{application_url}/decline", manager, {"reason": "vibes"})
    assert unknown.status_code == 422
    assert set(unknown.json["error"]["fields"]) == {"reason"}
    other = call(client, "POST", f"{application_url}/decline", manager, {"reason": "other"})
    assert other.status_code == 422
    assert other.json["error"]["fields"] == {
        "note": ["Say why in the note when the reason is 'Other'."]
    }
    missing = call(client, "POST", f"{application_url}/decline", manager, {})
    assert missing.status_code == 422
    assert missing.json["error"]["fields"] == {"reason": ["This field is required."]}


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"data": '{"passed": true}'}, "Content-Type: application/json"),
        ({"data": "", "content_type": "application/json"}, "body is empty"),
        ({"data": "{passed: true}", "content_type": "application/json"}, "not valid JSON"),
        ({"data": '{"passed": NaN}', "content_type": "application/json"}, "not valid JSON"),
        (
            {"data": '{"passed": true, "passed": false}', "content_type": "application/json"},
            "appears twice",
        ),
        ({"json": [{"passed": True}]}, "must be a JSON object"),
        ({"json": {"passed": "yes"}}, "Wrong JSON type for passed"),
        ({"json": {"passed": True, "version": "3"}}, "Wrong JSON type for version"),
        ({"json": {"passed": True, "verison": 3}}, "Unknown field(s): verison"),
    ],
)
def test_bodies_are_parsed_strictly(client, tokens, application_url, kwargs, message):
    response = client.post(f"{API}{application_url}/screen", headers=tokens["recruiter"], **kwargs)
    assert response.status_code == 400
    assert message in response.json["error"]["detail"]


def test_wrong_types_name_the_fields(client, tokens):
    response = call(
        client,
        "POST",
        "/requisitions",
        tokens["recruiter"],
        {"level_id": 7, "hiring_manager_email": "x@example.org", "headcount": True},
    )
    assert response.status_code == 400
    assert response.json["error"]["fields"] == {
        "level_id": ["Expected a string."],
        "headcount": ["Expected an integer."],
    }


@pytest.mark.parametrize(
    ("role", "method", "path"),
    [
        ("team_member", "POST", "/requisitions"),
        ("hiring_manager", "POST", "/requisitions"),
        ("interviewer", "GET", "/requisitions"),
        ("hiring_manager", "GET", "/candidates"),
        ("interviewer", "POST", "/applications"),
    ],
)
def test_the_wrong_role_answers_403(client, tokens, role, method, path):
    response = call(client, method, path, tokens[role], {})
    assert response.status_code == 403
    assert response.json["error"]["status"] == 403


def test_the_hiring_manager_may_not_record_the_screen(client, tokens, application_url):
    response = call(client, "POST", f"{application_url}/screen", tokens["hiring_manager"], {})
    assert response.status_code == 403


# --- scorecards ----------------------------------------------------------------------


@pytest.fixture
def peer_interview(hiring_objects) -> int:
    """The fixture's peer interview: ``users["interviewer"]`` is its only interviewer."""
    return hiring_objects["interview_id"]


def test_scorecard_problems_are_keyed_by_criterion_recommendation_and_notes(
    client, tokens, peer_interview
):
    interviewer = tokens["interviewer"]
    url = f"/interviews/{peer_interview}/scorecard"
    criteria = call(client, "GET", f"/interviews/{peer_interview}", interviewer).json["criteria"]
    first, second = criteria[0]["id"], criteria[1]["id"]
    response = call(
        client, "POST", url, interviewer, {"ratings": {first: "maybe"}, "recommendation": "meh"}
    )
    assert response.status_code == 422
    fields = response.json["error"]["fields"]
    assert set(fields) == {c["id"] for c in criteria} | {"recommendation", "notes"}
    assert "'maybe' is not a rating" in fields[first][0]
    assert "or mark it not assessed" in fields[second][0]

    # A draft may be incomplete, but what it holds must be valid.
    draft = call(client, "POST", url, interviewer, {"ratings": {first: "yes"}, "submit": False})
    assert draft.status_code == 201
    assert draft.json["submitted"] is False
    bad_draft = call(
        client, "POST", url, interviewer, {"ratings": {"req:nope": "yes"}, "submit": False}
    )
    assert bad_draft.status_code == 422
    assert set(bad_draft.json["error"]["fields"]) == {"req:nope"}

    mine = call(client, "GET", f"/interviews/{peer_interview}", interviewer).json["my_scorecard"]
    assert mine["ratings"] == {first: "yes"}
    stale = call(
        client,
        "POST",
        url,
        interviewer,
        {"ratings": {}, "submit": False, "version": mine["version"] - 1},
    )
    assert stale.status_code == 409
    submitted = submit_positive_again(client, interviewer, peer_interview, criteria)
    assert submitted.status_code == 200
    final = call(client, "POST", url, interviewer, {"notes": "one more thing", "submit": False})
    assert final.status_code == 409
    assert "cannot change" in final.json["error"]["detail"]


def submit_positive_again(client, headers, interview_id, criteria):
    return call(
        client,
        "POST",
        f"/interviews/{interview_id}/scorecard",
        headers,
        {
            "ratings": {c["id"]: "strong_yes" for c in criteria},
            "recommendation": "strong_yes",
            "notes": "Great.",
        },
    )


def test_staff_see_the_interview_but_write_no_scorecard_on_it(client, tokens, peer_interview):
    for role in ("recruiter", "hiring_manager", "admin"):
        seen = call(client, "GET", f"/interviews/{peer_interview}", tokens[role])
        assert seen.status_code == 200
        assert seen.json["my_scorecard"] is None
        written = call(client, "POST", f"/interviews/{peer_interview}/scorecard", tokens[role], {})
        assert written.status_code == 404


def test_an_interviewer_probing_other_applications_and_interviews_gets_404(
    app, client, users, tokens, make_user, hiring_objects, peer_interview
):
    interviewer = tokens["interviewer"]
    # Their own interview: visible, and only what they need about the candidate.
    own = call(client, "GET", f"/interviews/{peer_interview}", interviewer)
    assert own.status_code == 200
    assert set(own.json["candidate"]) == {"id", "name"}

    # Another application of the same requisition, interviewed by someone else.
    other_interviewer = make_user("olive@example.org", (Role.INTERVIEWER,))
    with app.app_context():
        recruiter = db.session.get(User, users["recruiter"])
        requisition = db.session.get(Requisition, hiring_objects["requisition_id"])
        candidate = hiring.add_candidate(
            hiring.CandidateDetails(name="Other Person", email="other@example.org"),
            actor=recruiter,
        )
        other = hiring.open_application(candidate, requisition, actor=recruiter)
        other_id = other.id
    other_interview = call(
        client,
        "POST",
        f"/applications/{other_id}/interviews",
        tokens["recruiter"],
        {"stage": "peer-interview", "interviewer_emails": ["olive@example.org"]},
    )
    assert other_interview.status_code == 201
    assert other_interview.json["interviewer_ids"] == [other_interviewer]
    probes = [
        ("GET", f"/applications/{hiring_objects['application_id']}", None),
        ("GET", f"/applications/{other_id}", None),
        ("GET", f"/interviews/{other_interview.json['id']}", None),
        ("POST", f"/interviews/{other_interview.json['id']}/scorecard", {"notes": "x"}),
        ("POST", f"/applications/{other_id}/advance", {}),
        ("POST", f"/applications/{other_id}/decline", {"reason": "experience"}),
        ("POST", f"/applications/{other_id}/interviews", {}),
        ("GET", "/applications/999999", None),
        ("GET", "/interviews/999999", None),
    ]
    for method, path, body in probes:
        response = call(client, method, path, interviewer, body)
        assert response.status_code == 404, (method, path)
        assert response.json["error"]["status"] == 404

    # A hiring manager of another requisition sees nothing of this one either.
    stranger = bearer(app, make_user("hm2@example.org", (Role.HIRING_MANAGER,)))
    for path in (
        f"/requisitions/{hiring_objects['requisition_id']}",
        f"/applications/{other_id}",
        f"/interviews/{peer_interview}",
    ):
        assert call(client, "GET", path, stranger).status_code == 404


def test_interviewers_must_be_eligible_for_the_stage(
    client, tokens, peer_interview, application_url
):
    manager = tokens["hiring_manager"]
    cases = [
        (
            {"stage": "executive-interview", "interviewer_emails": ["interviewer@example.org"]},
            "interviewer_emails",
            "does not hold that level",
        ),
        (
            # Anyone on the staff may interview for a peer interview; the hiring manager's
            # interview stays with the hiring manager.
            {
                "stage": "hiring-manager-interview",
                "interviewer_emails": ["team_member@example.org"],
            },
            "interviewer_emails",
            "Team_Member is not the hiring manager",
        ),
        ({"stage": "peer-interview", "interviewer_emails": []}, "interviewer_emails", "at least"),
        (
            {"stage": "peer-interview", "interviewer_emails": ["nobody@example.org"]},
            "interviewer_emails",
            "No user",
        ),
        ({"stage": "warp-interview", "interviewer_emails": []}, "stage", "has no stage"),
        ({"stage": "recruiter-screening", "interviewer_emails": []}, "stage", "not an interview"),
        (
            {
                "stage": "peer-interview",
                "interviewer_emails": ["interviewer@example.org"],
                "scheduled_at": "2030-03-04T10:00:00",
            },
            "scheduled_at",
            "UTC offset",
        ),
    ]
    for body, field, message in cases:
        response = call(client, "POST", f"{application_url}/interviews", manager, body)
        assert response.status_code == 422, (body, response.json)
        assert message in " ".join(response.json["error"]["fields"][field]), response.json
    # Scheduling a stage again reschedules it.
    again = call(
        client,
        "POST",
        f"{application_url}/interviews",
        manager,
        {"stage": "peer-interview", "interviewer_emails": ["interviewer@example.org"]},
    )
    assert again.status_code == 200
    assert again.json["id"] == peer_interview


# --- authentication and CSRF ------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/ladder/levels"),
        ("GET", "/requisitions"),
        ("POST", "/requisitions"),
        ("GET", "/candidates"),
        ("POST", "/applications"),
        ("GET", "/applications/1"),
        ("POST", "/applications/1/advance"),
        ("GET", "/interviews/1"),
        ("POST", "/interviews/1/scorecard"),
    ],
)
@pytest.mark.parametrize("header", [None, "Bearer hl_not-a-token", "Bearer "])
def test_no_or_a_bad_token_answers_401(client, users, method, path, header):
    headers = {"Authorization": header} if header else {}
    response = call(client, method, path, headers, {})
    assert response.status_code == 401
    assert response.json["error"]["status"] == 401


def test_bearer_calls_need_no_csrf_token_but_cookie_calls_do(
    app, client, users, tokens, csrf_enabled
):
    body = {"name": "Nia", "email": "nia@example.org", "consent_on": "2030-02-01"}
    with_token = call(client, "POST", "/candidates", tokens["recruiter"], body)
    assert with_token.status_code == 201

    login_as(app, client, users["recruiter"])
    with_cookie = call(client, "POST", "/candidates", {}, {**body, "email": "nia2@example.org"})
    assert with_cookie.status_code == 400
    assert "security token is missing" in with_cookie.json["error"]["detail"]
    # Reading with the cookie needs no token.
    assert call(client, "GET", "/candidates", {}).status_code == 200


# --- lists ------------------------------------------------------------------------


def add_requisitions(app, users, count, prefix):
    with app.app_context():
        recruiter = db.session.get(User, users["recruiter"])
        manager = db.session.get(User, users["hiring_manager"])
        for i in range(count):
            hiring.create_requisition(
                title=f"{prefix} {i}",
                level_id="csm",
                specialty_id=None,
                hiring_manager=manager,
                recruiter=recruiter,
                headcount=1,
                actor=recruiter,
            )


def add_candidates(app, users, count, prefix):
    with app.app_context():
        recruiter = db.session.get(User, users["recruiter"])
        for i in range(count):
            hiring.add_candidate(
                hiring.CandidateDetails(name=f"{prefix} {i}", email=f"{prefix}{i}@example.org"),
                actor=recruiter,
            )


@pytest.mark.parametrize(
    ("path", "add", "role"),
    [
        ("/requisitions", add_requisitions, "recruiter"),
        ("/requisitions", add_requisitions, "hiring_manager"),
        ("/candidates", add_candidates, "recruiter"),
        ("/ladder/levels", add_candidates, "interviewer"),
    ],
)
def test_lists_run_a_constant_number_of_queries(
    app, client, users, tokens, count_queries, path, add, role
):
    headers = tokens[role]
    assert call(client, "GET", path, headers).status_code == 200  # the token's first use
    add(app, users, 2, "small")
    with count_queries() as small:
        first = call(client, "GET", path, headers)
    add(app, users, 15, "large")
    with count_queries() as large:
        second = call(client, "GET", path, headers)
    assert first.status_code == second.status_code == 200
    if path != "/ladder/levels":
        assert (len(first.json["items"]), len(second.json["items"])) == (2, 17)
    assert large.count == small.count, large.statements


def test_lists_paginate(app, client, users, tokens):
    add_requisitions(app, users, 5, "Req")
    recruiter = tokens["recruiter"]
    first = call(client, "GET", "/requisitions?per_page=2", recruiter).json
    assert [r["title"] for r in first["items"]] == ["Req 4", "Req 3"]
    assert first["per_page"] == 2
    second = call(client, "GET", first["next"].removeprefix(API), recruiter).json
    assert [r["title"] for r in second["items"]] == ["Req 2", "Req 1"]
    last = call(client, "GET", second["next"].removeprefix(API), recruiter).json
    assert ([r["title"] for r in last["items"]], last["next"]) == (["Req 0"], None)
    bad = call(client, "GET", "/requisitions?page=2&per_page=500", recruiter)
    assert bad.status_code == 422
    assert set(bad.json["error"]["fields"]) == {"page", "per_page"}
    assert "'next'" in bad.json["error"]["fields"]["page"][0]


def test_hiring_managers_see_only_their_requisitions(app, client, users, tokens, make_user):
    add_requisitions(app, users, 2, "Mine")
    other = make_user("hm2@example.org", (Role.HIRING_MANAGER,))
    other_headers = bearer(app, other)
    assert call(client, "GET", "/requisitions", other_headers).json["items"] == []
    assert len(call(client, "GET", "/requisitions", tokens["admin"]).json["items"]) == 2


def test_levels_can_be_filtered_by_family(client, tokens):
    everything = call(client, "GET", "/ladder/levels", tokens["team_member"]).json["items"]
    assert len({lv["family"] for lv in everything}) > 1
    elsewhere = [lv for lv in everything if lv["defined_elsewhere"]]
    assert elsewhere, "the ladder names levels defined elsewhere"
    unknown = call(client, "GET", "/ladder/levels?family=astronauts", tokens["team_member"])
    assert unknown.status_code == 422
    assert "astronauts" in unknown.json["error"]["fields"]["family"][0]


# --- OpenAPI ------------------------------------------------------------------------


def openapi_path(rule: str) -> str:
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.removeprefix(API))


def test_the_openapi_document_describes_every_api_route_and_nothing_else(app):
    routes = {
        (openapi_path(rule.rule), method.lower())
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("api.")
        for method in rule.methods or ()
        if method not in ("HEAD", "OPTIONS")
    }
    documented = {
        (path, method) for path, operations in DOCUMENT["paths"].items() for method in operations
    }
    assert routes - documented == set(), "routes missing from the OpenAPI document"
    assert documented - routes == set(), "documented operations without a route"


def test_the_openapi_document_is_public_and_its_references_resolve(client):
    response = client.get(f"{API}/openapi.json")
    assert response.status_code == 200
    document = response.json
    assert document["openapi"].startswith("3.1")
    assert document["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    assert document["paths"]["/openapi.json"]["get"]["security"] == []

    def refs(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "$ref":
                    yield value
                else:
                    yield from refs(value)
        elif isinstance(node, list):
            for value in node:
                yield from refs(value)

    for reference in refs(document):
        target = document
        for part in reference.removeprefix("#/").split("/"):
            target = target[part]
    for path, operations in document["paths"].items():
        for method, op in operations.items():
            assert op["responses"], (method, path)
            for name in re.findall(r"{(\w+)}", path):
                assert name in {p["name"] for p in op["parameters"] if p["in"] == "path"}
            if method == "post":
                schema = op["requestBody"]["content"]["application/json"]["schema"]
                assert schema["additionalProperties"] is False


JSON_TYPES = {
    type(None): "null",
    bool: "boolean",
    int: "integer",
    float: "number",
    str: "string",
    list: "array",
    dict: "object",
}


def conformance(schema, value, where="$"):
    """Where ``value`` departs from ``schema`` (the subset of JSON Schema the document uses)."""
    if "$ref" in schema:
        target = DOCUMENT
        for part in schema["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        return conformance(target, value, where)
    if "oneOf" in schema:
        options = [conformance(option, value, where) for option in schema["oneOf"]]
        matching = [o for o in options if not o]
        return [] if len(matching) == 1 else [f"{where}: matches {len(matching)} of oneOf"]
    problems = []
    types = schema.get("type")
    if types is not None:
        types = types if isinstance(types, list) else [types]
        if JSON_TYPES[type(value)] not in types:
            return [f"{where}: {JSON_TYPES[type(value)]} is not {types}"]
    if "enum" in schema and value not in schema["enum"]:
        problems.append(f"{where}: {value!r} not in {schema['enum']}")
    if isinstance(value, dict):
        properties = schema.get("properties", {})
        missing = set(schema.get("required", ())) - set(value)
        if missing:
            problems.append(f"{where}: missing {sorted(missing)}")
        extra = properties and set(value) - set(properties)
        if extra:
            problems.append(f"{where}: undocumented {sorted(extra)}")
        for key, item in value.items():
            if key in properties:
                problems += conformance(properties[key], item, f"{where}.{key}")
            elif isinstance(schema.get("additionalProperties"), dict):
                problems += conformance(schema["additionalProperties"], item, f"{where}.{key}")
    if isinstance(value, list) and "items" in schema:
        for index, item in enumerate(value):
            problems += conformance(schema["items"], item, f"{where}[{index}]")
    return problems


def documented_schema(template, method, status):
    response = DOCUMENT["paths"][template][method.lower()]["responses"][str(status)]
    if "$ref" in response:
        response = DOCUMENT["components"]["responses"][response["$ref"].rsplit("/", 1)[1]]
    return response["content"]["application/json"]["schema"]


def test_responses_match_the_openapi_document(app, client, users, tokens, hiring_objects):
    ids = hiring_objects
    recruiter, manager, interviewer = (
        tokens["recruiter"],
        tokens["hiring_manager"],
        tokens["interviewer"],
    )
    requisition = {**REQUISITION, "specialty": "public-sector", "recruiter_email": None}
    candidate = {"name": "Ari", "email": "ari@example.org", "consent_on": "2030-01-02"}
    calls = [
        ("GET", "/me", "/me", recruiter, None),
        ("GET", "/ladder/levels", "/ladder/levels", recruiter, None),
        ("GET", "/ladder/levels?family=nope", "/ladder/levels", recruiter, None),
        ("GET", "/requisitions", "/requisitions", recruiter, None),
        ("POST", "/requisitions", "/requisitions", recruiter, requisition),
        ("POST", "/requisitions", "/requisitions", recruiter, {"level_id": 1}),
        ("POST", "/requisitions", "/requisitions", interviewer, requisition),
        (
            "GET",
            f"/requisitions/{ids['requisition_id']}",
            "/requisitions/{requisition_id}",
            manager,
            None,
        ),
        ("GET", "/candidates", "/candidates", recruiter, None),
        ("POST", "/candidates", "/candidates", recruiter, candidate),
        ("POST", "/candidates", "/candidates", recruiter, candidate),
        (
            "POST",
            "/applications",
            "/applications",
            recruiter,
            {"candidate_id": ids["candidate_id"], "requisition_id": ids["requisition_id"]},
        ),
        (
            "GET",
            f"/applications/{ids['application_id']}",
            "/applications/{application_id}",
            manager,
            None,
        ),
        (
            "GET",
            f"/applications/{ids['application_id']}",
            "/applications/{application_id}",
            interviewer,
            None,
        ),
        (
            "POST",
            f"/applications/{ids['application_id']}/screen",
            "/applications/{application_id}/screen",
            recruiter,
            {"passed": True},
        ),
        (
            "POST",
            f"/applications/{ids['application_id']}/interviews",
            "/applications/{application_id}/interviews",
            manager,
            {"stage": "peer-interview", "interviewer_emails": ["interviewer@example.org"]},
        ),
        (
            "GET",
            f"/interviews/{ids['interview_id']}",
            "/interviews/{interview_id}",
            interviewer,
            None,
        ),
        (
            "POST",
            f"/interviews/{ids['interview_id']}/scorecard",
            "/interviews/{interview_id}/scorecard",
            interviewer,
            {"ratings": {}, "submit": False},
        ),
        (
            "GET",
            f"/interviews/{ids['interview_id']}",
            "/interviews/{interview_id}",
            interviewer,
            None,
        ),
        (
            "POST",
            f"/applications/{ids['application_id']}/advance",
            "/applications/{application_id}/advance",
            recruiter,
            {"version": 1},
        ),
        (
            "POST",
            f"/applications/{ids['application_id']}/withdraw",
            "/applications/{application_id}/withdraw",
            recruiter,
            {"reason": "Took another offer"},
        ),
        ("GET", "/requisitions", "/requisitions", {}, None),
    ]
    seen = set()
    for method, path, template, headers, body in calls:
        response = call(client, method, path, headers, body)
        seen.add(response.status_code)
        schema = documented_schema(template, method, response.status_code)
        assert conformance(schema, response.json) == [], (method, path, response.json)
    assert seen == {200, 201, 400, 401, 403, 404, 409, 422}
