"""Offers and hires: drafted from the hire decision, approval before extension when asked,
the candidate's answer, the hire that makes or links the account and starts the level
history, the requisition filled at headcount, who sees compensation, the board."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.clock import utcnow
from app.db import db
from app.models import (
    Application,
    AuditEvent,
    LevelSpan,
    Offer,
    OutboxMessage,
    Requisition,
    Role,
    StageTransition,
    User,
)
from app.services import decisions, hiring
from pipelines.requisitions import RequisitionStatus
from tests.conftest import login_as

API = "/api/v1"
TODAY = utcnow().date()
START = TODAY + timedelta(days=30)


def at_references(app, application_id: int, *, passed: bool = True) -> None:
    """Put the application at the reference check (its outcome recorded), as if every
    stage before had been passed."""
    with app.app_context():
        application = db.session.get(Application, application_id)
        plan = hiring.plan_for(hiring.requisition_of(application))
        application.stage_id = plan.references.id
        application.references_passed = passed
        db.session.commit()


def decide(app, users, application_id: int, level_id: str | None = None, rationale=None) -> None:
    with app.app_context():
        application = db.session.get(Application, application_id)
        manager = db.session.get(User, users["hiring_manager"])
        decisions.record_decision(
            application,
            actor=manager,
            outcome="hire",
            level_id=level_id,
            rationale=rationale,
            expected_version=None,
        )


@pytest.fixture
def ready(app, users, hiring_objects) -> dict[str, int]:
    """The fixture's application at a passed reference check with a hire decision at the
    requisition's level (senior-csm)."""
    at_references(app, hiring_objects["application_id"])
    decide(app, users, hiring_objects["application_id"])
    return hiring_objects


def as_user(app, client, user_id: int):
    login_as(app, client, user_id)
    return client


def app_version(app, application_id: int) -> int:
    with app.app_context():
        return db.session.get(Application, application_id).version


def offer_row(app, offer_id: int) -> Offer:
    with app.app_context():
        offer = db.session.get(Offer, offer_id)
        db.session.expunge(offer)
        return offer


def create(client, application_id: int, body: dict | None = None, status: int = 201) -> dict:
    response = client.post(f"{API}/applications/{application_id}/offers", json=body or {})
    assert response.status_code == status, response.json
    return response.json


def move(client, offer: dict, name: str, body: dict | None = None, status: int = 200) -> dict:
    current = client.get(f"{API}/offers/{offer['id']}").json
    response = client.post(
        f"{API}/offers/{offer['id']}/{name}", json={"version": current["version"], **(body or {})}
    )
    assert response.status_code == status, (name, response.json)
    return response.json


def audit_of(app, action: str) -> list[dict]:
    with app.app_context():
        return [
            row.summary
            for row in db.session.scalars(
                select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
            )
        ]


TERMS = {
    "start_date": START.isoformat(),
    "location": "Berlin, Germany",
    "currency": "eur",
    "base_salary": 91_500,
    "bonus": 9_000,
    "equity": "2,000 options",
    "compensation_note": "Relocation paid.",
}


# --- drafting ----------------------------------------------------------------------------


def test_an_offer_needs_the_hire_decision(app, client, users, hiring_objects):
    at_references(app, hiring_objects["application_id"])
    as_user(app, client, users["recruiter"])
    error = create(client, hiring_objects["application_id"], status=409)["error"]
    assert error["conflict"] == "rule" and "hire decision" in error["detail"]


def test_the_recruiter_drafts_on_the_decision_and_the_application_has_an_offer(
    app, client, users, ready
):
    as_user(app, client, users["recruiter"])
    offer = create(client, ready["application_id"], TERMS)
    assert offer["status"] == "draft"
    assert offer["level"]["id"] == "senior-csm"
    assert offer["compensation"] == {
        "currency": "EUR",
        "base_salary": 91_500,
        "bonus": 9_000,
        "equity": "2,000 options",
        "note": "Relocation paid.",
    }
    assert offer["moves"] == ["extend", "withdraw"]
    with app.app_context():
        application = db.session.get(Application, ready["application_id"])
        assert application.status == "offer"
        last = db.session.scalars(
            select(StageTransition)
            .where(StageTransition.application_id == application.id)
            .order_by(StageTransition.id.desc())
        ).first()
        assert (last.action, last.actor_id) == ("make_offer", users["recruiter"])
    (created,) = audit_of(app, "offer.create")
    assert created["level_id"] == "senior-csm"
    assert "base_salary" in created["fields"]
    # The audit row names fields, never figures.
    assert "91500" not in str(created) and "Relocation" not in str(created)


def test_the_reference_check_must_be_passed(app, client, users, hiring_objects):
    at_references(app, hiring_objects["application_id"], passed=False)
    decide(app, users, hiring_objects["application_id"])
    as_user(app, client, users["recruiter"])
    error = create(client, hiring_objects["application_id"], status=409)["error"]
    assert "was not passed" in error["detail"]
    refused = create(
        client, hiring_objects["application_id"], {"override_reason": "Fine."}, status=409
    )
    assert "Only the hiring manager can override" in refused["error"]["detail"]
    manager = as_user(app, app.test_client(), users["hiring_manager"])
    offer = create(
        manager, hiring_objects["application_id"], {"override_reason": "Referee on leave."}
    )
    assert offer["status"] == "draft"


def test_the_level_changes_only_within_the_rules_and_by_the_deciders(app, client, users, ready):
    as_user(app, client, users["recruiter"])
    error = create(client, ready["application_id"], {"level_id": "staff-csm"}, status=422)
    assert "Only the hiring manager" in error["error"]["fields"]["level_id"][0]
    manager = as_user(app, app.test_client(), users["hiring_manager"])
    error = create(manager, ready["application_id"], {"level_id": "principal-csm"}, status=422)
    assert "level_id" in error["error"]["fields"]
    offer = create(manager, ready["application_id"], {"level_id": "staff-csm"})
    assert offer["level"]["id"] == "staff-csm"


def test_at_most_one_open_offer(app, client, users, ready):
    as_user(app, client, users["recruiter"])
    create(client, ready["application_id"])
    error = create(client, ready["application_id"], status=409)["error"]
    assert "open offer" in error["detail"]


# --- moves -------------------------------------------------------------------------------


def test_approval_is_needed_before_extending_when_asked(app, client, users, ready):
    recruiter = as_user(app, client, users["recruiter"])
    offer = create(recruiter, ready["application_id"], {**TERMS, "needs_approval": True})
    assert offer["moves"] == ["ask-approval", "withdraw"]
    refused = move(recruiter, offer, "extend", status=409)["error"]
    assert "approval" in refused["detail"]
    waiting = move(recruiter, offer, "ask-approval")
    assert waiting["status"] == "awaiting_approval"
    # Only admins approve or reject.
    move(recruiter, offer, "approve", status=403)
    admin = as_user(app, app.test_client(), users["admin"])
    assert move(admin, offer, "reject")["status"] == "draft"
    move(recruiter, offer, "ask-approval")
    approved = move(admin, offer, "approve")
    assert approved["status"] == "approved" and approved["approved_by_id"] == users["admin"]
    extended = move(recruiter, offer, "extend")
    assert extended["status"] == "extended" and extended["extended_at"]
    assert move(recruiter, offer, "accept", {"note": "Happy to join."})["status"] == "accepted"
    statuses = [row["status"]["after"] for row in audit_of(app, "offer.approve")]
    assert statuses == ["approved"]


def test_the_installation_may_always_ask_approval(app, client, users, ready):
    app.config["OFFER_APPROVAL"] = "always"
    try:
        as_user(app, client, users["recruiter"])
        offer = create(client, ready["application_id"], {"needs_approval": False})
    finally:
        app.config["OFFER_APPROVAL"] = "optional"
    assert offer["needs_approval"] is True


def test_extending_needs_a_start_date(app, client, users, ready):
    as_user(app, client, users["recruiter"])
    offer = create(client, ready["application_id"])
    error = move(client, offer, "extend", status=409)["error"]
    assert "start date" in error["detail"]


def test_terms_change_in_draft_only_and_the_audit_names_the_fields(app, client, users, ready):
    as_user(app, client, users["recruiter"])
    offer = create(client, ready["application_id"], TERMS)
    changed = client.patch(
        f"{API}/offers/{offer['id']}",
        json={"base_salary": 95_000, "location": None, "version": offer["version"]},
    )
    assert changed.status_code == 200, changed.json
    assert changed.json["compensation"]["base_salary"] == 95_000
    assert changed.json["location"] is None
    assert changed.json["start_date"] == START.isoformat()  # not sent: unchanged
    (update,) = audit_of(app, "offer.update")
    assert update["fields"] == ["base_salary", "location"]
    assert "95000" not in str(update)
    # Stale: the version read before the change.
    stale = client.patch(
        f"{API}/offers/{offer['id']}", json={"bonus": 1, "version": offer["version"]}
    )
    assert stale.status_code == 409
    assert stale.json["error"]["conflict"] == "stale"
    assert stale.json["error"]["current_version"] == changed.json["version"]
    move(client, changed.json, "extend")
    refused = client.patch(
        f"{API}/offers/{offer['id']}",
        json={"bonus": 1, "version": offer_row(app, offer["id"]).version},
    )
    assert (
        refused.status_code == 409 and "only while it is a draft" in refused.json["error"]["detail"]
    )


def test_bad_terms_are_422_naming_the_field(app, client, users, ready):
    as_user(app, client, users["recruiter"])
    for body, field in (
        ({"currency": "EURO"}, "currency"),
        ({"base_salary": -5}, "base_salary"),
        ({"start_date": (TODAY - timedelta(days=1)).isoformat()}, "start_date"),
        ({"start_date": "next monday"}, "start_date"),
        ({"compensation_note": "x" * 5_001}, "compensation_note"),
        ({"specialty_id": "no-such-specialty"}, "specialty_id"),
    ):
        error = create(client, ready["application_id"], body, status=422)["error"]
        assert field in error["fields"], (body, error)


def test_a_declined_offer_ends_the_application_as_withdrawn(app, client, users, ready):
    as_user(app, client, users["recruiter"])
    offer = create(client, ready["application_id"], TERMS)
    move(client, offer, "extend")
    missing = move(client, offer, "decline", status=422)["error"]
    assert "reason" in missing["fields"]
    other = move(client, offer, "decline", {"reason": "other"}, status=422)["error"]
    assert "note" in other["fields"]
    declined = move(client, offer, "decline", {"reason": "other_offer", "note": "Went to Acme."})
    assert (declined["status"], declined["decline_reason"]) == ("declined", "other_offer")
    with app.app_context():
        application = db.session.get(Application, ready["application_id"])
        assert application.status == "withdrawn"
        last = db.session.scalars(
            select(StageTransition)
            .where(StageTransition.application_id == application.id)
            .order_by(StageTransition.id.desc())
        ).first()
        assert last.reason == "Offer declined: Accepted another offer"
    # Nothing follows a declined offer: the application ended.
    error = create(client, ready["application_id"], status=409)["error"]
    assert "withdrawn" in error["detail"]
    assert audit_of(app, "offer.decline")[0]["decline_reason"] == "other_offer"


def test_a_withdrawn_offer_may_be_followed_by_a_new_one(app, client, users, ready):
    as_user(app, client, users["recruiter"])
    first = create(client, ready["application_id"], TERMS)
    move(client, first, "extend")
    assert move(client, first, "withdraw", {"note": "New terms."})["status"] == "withdrawn"
    with app.app_context():
        assert db.session.get(Application, ready["application_id"]).status == "offer"
    second = create(client, ready["application_id"], {**TERMS, "base_salary": 99_000})
    assert second["id"] != first["id"] and second["status"] == "draft"
    listed = client.get(f"{API}/applications/{ready['application_id']}/offers").json["items"]
    assert [o["id"] for o in listed] == [second["id"], first["id"]]


def test_the_application_is_not_withdrawn_under_an_open_offer(app, client, users, ready):
    as_user(app, client, users["recruiter"])
    create(client, ready["application_id"])
    response = client.post(
        f"{API}/applications/{ready['application_id']}/withdraw",
        json={"version": app_version(app, ready["application_id"])},
    )
    assert response.status_code == 409
    assert "An offer is open" in response.json["error"]["detail"]


def test_an_answer_needs_an_extended_offer(app, client, users, ready):
    as_user(app, client, users["recruiter"])
    offer = create(client, ready["application_id"], TERMS)
    for name in ("accept", "approve"):
        response = client.post(
            f"{API}/offers/{offer['id']}/{name}", json={"version": offer["version"]}
        )
        assert response.status_code in (403, 409)
    assert move(client, offer, "accept", status=409)["error"]["conflict"] == "rule"


# --- who sees compensation ---------------------------------------------------------------


def test_compensation_only_for_the_requisitions_people_and_admins(
    app, client, users, make_user, ready
):
    other_recruiter = make_user("other.recruiter@example.org", (Role.RECRUITER,))
    as_user(app, client, users["recruiter"])
    offer = create(client, ready["application_id"], TERMS)
    url = f"{API}/offers/{offer['id']}"
    for who in ("admin", "recruiter", "hiring_manager"):
        body = as_user(app, app.test_client(), users[who]).get(url).json
        assert body["compensation"]["base_salary"] == 91_500, who
    other = as_user(app, app.test_client(), other_recruiter)
    seen = other.get(url).json
    assert seen["compensation"] is None and seen["level"]["id"] == "senior-csm"
    assert seen["moves"] == []
    listed = other.get(f"{API}/applications/{ready['application_id']}/offers").json
    assert listed["items"][0]["compensation"] is None
    assert "91500" not in other.get(url).text
    # Reading is not writing.
    assert other.post(f"{url}/extend", json={}).status_code == 403
    for who in ("interviewer", "team_member"):
        assert as_user(app, app.test_client(), users[who]).get(url).status_code == 404
    # Pages: the offer's page and the application's section.
    page = other.get(f"/hiring/offers/{offer['id']}")
    assert page.status_code == 200
    assert "91,500" not in page.text and "Compensation" not in page.text
    section = other.get(f"/hiring/applications/{ready['application_id']}")
    assert "91,500" not in section.text
    own = as_user(app, app.test_client(), users["hiring_manager"])
    assert "91,500" in own.get(f"/hiring/offers/{offer['id']}").text
    assert "91,500" in own.get(f"/hiring/applications/{ready['application_id']}").text
    assert other.get(f"/hiring/offers/{offer['id']}/edit").status_code == 403
    # Reads are audited, saying whether compensation was shown.
    reads = [
        row
        for row in audit_of(app, "candidate.view")
        if row.get("page") == "offers" and offer["id"] in row.get("offer_ids", [])
    ]
    assert {row["compensation"] for row in reads} == {True, False}


# --- the hire ----------------------------------------------------------------------------


def accepted(client, application_id: int, body: dict | None = None) -> dict:
    offer = create(client, application_id, {**TERMS, **(body or {})})
    move(client, offer, "extend")
    return move(client, offer, "accept")


def test_the_hire_makes_the_account_with_level_manager_and_history(app, client, users, ready):
    as_user(app, client, users["recruiter"])
    offer = accepted(client, ready["application_id"], {"start_date": START.isoformat()})
    assert "hire" in offer["moves"]
    hired = move(client, offer, "hire", {"start_date": TODAY.isoformat()})
    assert hired["hired_user_id"] is not None
    with app.app_context():
        user = db.session.get(User, hired["hired_user_id"])
        assert (user.email, user.display_name) == ("casey@example.org", "Casey Candidate")
        assert user.password_hash is None and user.role_set == {Role.TEAM_MEMBER}
        assert user.manager_id == users["hiring_manager"]
        assert (user.level_id, user.level_since) == ("senior-csm", TODAY)
        (span,) = db.session.scalars(select(LevelSpan).where(LevelSpan.user_id == user.id))
        assert (span.reason, span.starts_on, span.application_id, span.ends_on) == (
            "hired",
            TODAY,
            ready["application_id"],
            None,
        )
        application = db.session.get(Application, ready["application_id"])
        assert (application.status, application.hired_user_id) == ("hired", user.id)
        assert db.session.get(Offer, offer["id"]).start_date == TODAY
        (welcome,) = db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.kind == "account_welcome")
        )
        assert welcome.to_address == "casey@example.org" and "/reset/" in welcome.text_body
        link = re.search(r"/reset/(\S+)", welcome.text_body).group(0)
        requisition = db.session.get(Requisition, ready["requisition_id"])
        assert requisition.status == RequisitionStatus.FILLED
    # The welcome's link lets the new member choose a password.
    assert app.test_client().get(link).status_code == 200
    (filled,) = audit_of(app, "requisition.filled")
    assert filled == {
        "status": {"before": "open", "after": "filled"},
        "hires": 1,
        "headcount": 1,
    }
    (hire,) = audit_of(app, "offer.hire")
    assert hire["linked"] is False and hire["start_date"] == TODAY.isoformat()
    # Hired once: the hire is not offered again.
    assert "hire" not in client.get(f"{API}/offers/{offer['id']}").json["moves"]
    assert move(client, offer, "hire", status=409)["error"]["conflict"] == "rule"


def test_a_later_start_date_starts_the_level_then(app, client, users, ready):
    as_user(app, client, users["recruiter"])
    offer = accepted(client, ready["application_id"])
    hired = move(client, offer, "hire")
    with app.app_context():
        user = db.session.get(User, hired["hired_user_id"])
        # The account's level follows on the start date (the daily level_changes job).
        assert user.level_id is None and user.manager_id == users["hiring_manager"]
        (span,) = db.session.scalars(select(LevelSpan).where(LevelSpan.user_id == user.id))
        assert (span.level_id, span.starts_on, span.reason) == ("senior-csm", START, "hired")


def test_the_hire_links_an_existing_account_only_when_confirmed(
    app, client, users, make_user, ready
):
    existing = make_user("Casey@Example.org", (Role.TEAM_MEMBER,), name="Casey C.")
    as_user(app, client, users["recruiter"])
    manager = as_user(app, app.test_client(), users["hiring_manager"])
    offer = accepted(manager, ready["application_id"], {"level_id": "staff-csm"})
    # A candidate's address proves nothing: the hire says that it is the same person.
    refused = move(client, offer, "hire", {"start_date": TODAY.isoformat()}, status=422)
    assert "confirm that it is the same person" in refused["error"]["fields"]["link_existing"][0]
    hired = move(client, offer, "hire", {"start_date": TODAY.isoformat(), "link_existing": True})
    assert hired["hired_user_id"] == existing
    with app.app_context():
        user = db.session.get(User, existing)
        assert user.display_name == "Casey C." and user.role_set == {Role.TEAM_MEMBER}
        assert (user.level_id, user.level_since, user.manager_id) == (
            "staff-csm",
            TODAY,
            users["hiring_manager"],
        )
        assert (
            db.session.scalar(
                select(func.count())
                .select_from(OutboxMessage)
                .where(OutboxMessage.kind == "account_welcome")
            )
            == 0
        )
    assert audit_of(app, "offer.hire")[0]["linked"] is True


def test_an_account_with_staff_roles_is_linked_by_an_admin_only(
    app, client, users, make_user, ready
):
    existing = make_user("Casey@Example.org", (Role.INTERVIEWER,), name="Casey C.")
    as_user(app, client, users["recruiter"])
    offer = accepted(client, ready["application_id"])
    body = {"start_date": TODAY.isoformat(), "link_existing": True}
    refused = move(client, offer, "hire", body, status=422)
    assert "only an admin" in refused["error"]["fields"]["link_existing"][0]
    admin = as_user(app, app.test_client(), users["admin"])
    assert move(admin, offer, "hire", body)["hired_user_id"] == existing
    with app.app_context():
        assert db.session.get(User, existing).role_set == {Role.INTERVIEWER}


def test_a_former_admin_comes_back_as_a_team_member_without_old_access(
    app, client, users, make_user, ready
):
    from app.models import ApiToken
    from app.services import api_tokens

    former = make_user("Casey@Example.org", (Role.ADMIN,), name="Casey C.")
    with app.app_context():
        user = db.session.get(User, former)
        api_tokens.issue(user, actor=None)
        user.active = False
        db.session.commit()
    admin = as_user(app, client, users["admin"])
    offer = accepted(admin, ready["application_id"])
    move(admin, offer, "hire", {"start_date": TODAY.isoformat(), "link_existing": True})
    with app.app_context():
        user = db.session.get(User, former)
        assert user.active and user.role_set == {Role.TEAM_MEMBER}
        assert user.password_hash is None
        assert db.session.scalar(select(ApiToken.revoked_at).where(ApiToken.user_id == former))
        kinds = db.session.scalars(
            select(OutboxMessage.kind).where(OutboxMessage.user_id == former)
        ).all()
        assert "account_welcome" in kinds
    assert audit_of(app, "user.rehired")[0]["roles"] == {"after": ["team_member"]}


def test_a_requisition_of_two_is_filled_by_the_second_hire(app, client, users, ready):
    with app.app_context():
        requisition = db.session.get(Requisition, ready["requisition_id"])
        requisition.headcount = 2
        recruiter = db.session.get(User, users["recruiter"])
        second = hiring.add_candidate(
            hiring.CandidateDetails(name="Robin Second", email="robin@example.org"),
            actor=recruiter,
        )
        second_id = hiring.open_application(second, requisition, actor=recruiter).id
    at_references(app, second_id)
    decide(app, users, second_id)
    as_user(app, client, users["recruiter"])
    move(client, accepted(client, ready["application_id"]), "hire")
    with app.app_context():
        assert db.session.get(Requisition, ready["requisition_id"]).status == "open"
    board = client.get(f"/hiring/requisitions/{ready['requisition_id']}")
    assert "1 of 2 hired" in board.text
    move(client, accepted(client, second_id), "hire")
    with app.app_context():
        assert db.session.get(Requisition, ready["requisition_id"]).status == "filled"
    assert "2 of 2 hired" in client.get("/hiring/requisitions").text


# --- pages -------------------------------------------------------------------------------


def test_the_web_flow_from_draft_to_hire(app, client, users, ready):
    as_user(app, client, users["recruiter"])
    application_id = ready["application_id"]
    page = client.get(f"/hiring/applications/{application_id}")
    assert "Draft the offer" in page.text
    form = client.get(f"/hiring/applications/{application_id}/offers/new")
    assert form.status_code == 200 and '<option selected value="senior-csm">' in form.text
    drafted = client.post(
        f"/hiring/applications/{application_id}/offers/new",
        data={
            "level_id": "senior-csm",
            "start_date": START.isoformat(),
            "currency": "EUR",
            "base_salary": "80000",
            "version": str(app_version(app, application_id)),
        },
    )
    assert drafted.status_code == 302, drafted.text
    offer_url = drafted.headers["Location"]
    offer_id = int(offer_url.rstrip("/").rsplit("/", 1)[1])

    def moved(name, **extra):
        version = offer_row(app, offer_id).version
        response = client.post(
            f"/hiring/offers/{offer_id}/move",
            data={"move": name, "version": str(version), **extra},
            follow_redirects=True,
        )
        assert response.status_code == 200
        return response.text

    text = client.get(f"/hiring/offers/{offer_id}").text
    assert "Extend to the candidate" in text and "80,000" in text
    assert "Offer extended." in moved("extend")
    assert "Offer accepted." in moved("accept", note="Yes!")
    hire_page = client.get(f"/hiring/offers/{offer_id}/hire")
    assert "A new account is made for casey@example.org" in hire_page.text
    past = client.post(
        f"/hiring/offers/{offer_id}/hire",
        data={
            "start_date": (TODAY - timedelta(days=3)).isoformat(),
            "version": str(offer_row(app, offer_id).version),
        },
    )
    assert past.status_code == 422 and "in the past" in past.text
    done = client.post(
        f"/hiring/offers/{offer_id}/hire",
        data={"start_date": START.isoformat(), "version": str(offer_row(app, offer_id).version)},
        follow_redirects=True,
    )
    assert "Casey Candidate hired" in done.text
    # Listed as hired with the start date, not "at" the reference check.
    application_page = client.get(f"/hiring/applications/{application_id}").text
    assert f"hired</strong>, starting {START.isoformat()}" in application_page
    assert "at Reference and Background Check" not in application_page
    board = client.get(f"/hiring/requisitions/{ready['requisition_id']}").text
    hired_column = board[board.index('id="col-_hired"') :]
    assert "Casey Candidate" in hired_column and START.isoformat() in hired_column
    assert "Closed applications" not in board
    record = client.get(f"/hiring/candidates/{ready['candidate_id']}").text
    assert ">Hired</td>" in record


def test_the_board_has_offer_and_hired_columns(app, client, users, ready):
    as_user(app, client, users["recruiter"])
    create(client, ready["application_id"], TERMS)
    board = client.get(f"/hiring/requisitions/{ready['requisition_id']}").text
    stages = board[: board.index('id="col-_offer"')]
    offer_column = board[board.index('id="col-_offer"') : board.index('id="col-_hired"')]
    assert "Casey Candidate" in offer_column and "offer draft" in offer_column
    assert "Casey Candidate" not in stages


def test_the_web_stale_move_is_refused(app, client, users, ready):
    as_user(app, client, users["recruiter"])
    offer = create(client, ready["application_id"], TERMS)
    response = client.post(
        f"/hiring/offers/{offer['id']}/move",
        data={"move": "extend", "version": str(offer["version"] + 5)},
        follow_redirects=True,
    )
    assert "changed by someone else" in response.text
    assert offer_row(app, offer["id"]).status == "draft"


def test_advance_at_the_reference_check_points_to_the_offer(app, client, users, ready):
    manager = as_user(app, client, users["hiring_manager"])
    response = manager.post(
        f"/hiring/applications/{ready['application_id']}/advance",
        data={"version": app_version(app, ready["application_id"])},
        follow_redirects=True,
    )
    assert "offer form" in response.text
    with app.app_context():
        assert db.session.get(Application, ready["application_id"]).status == "active"


def test_the_admins_list_of_offers_awaiting_approval(app, client, users, ready, count_queries):
    recruiter = as_user(app, app.test_client(), users["recruiter"])
    admin = as_user(app, client, users["admin"])
    offer = create(recruiter, ready["application_id"], {**TERMS, "needs_approval": True})
    assert "No offer is waiting" in admin.get("/hiring/offers/approvals").text
    move(recruiter, offer, "ask-approval")
    with count_queries() as one:
        page = admin.get("/hiring/offers/approvals")
    assert "Casey Candidate" in page.text
    with app.app_context():
        requisition = db.session.get(Requisition, ready["requisition_id"])
        recruiter_user = db.session.get(User, users["recruiter"])
        ids = []
        for n in range(3):
            candidate = hiring.add_candidate(
                hiring.CandidateDetails(name=f"Extra {n}", email=f"extra{n}@example.org"),
                actor=recruiter_user,
            )
            ids.append(hiring.open_application(candidate, requisition, actor=recruiter_user).id)
    for application_id in ids:
        at_references(app, application_id)
        decide(app, users, application_id)
        move(recruiter, create(recruiter, application_id, {"needs_approval": True}), "ask-approval")
    with count_queries() as four:
        page = admin.get("/hiring/offers/approvals")
    assert page.text.count("<tr>") == 1 + 4
    assert four.count == one.count, four.statements
    assert (
        as_user(app, app.test_client(), users["recruiter"])
        .get("/hiring/offers/approvals")
        .status_code
        == 403
    )


def test_the_single_move_offer_and_hire_are_retired(app, client, users, ready):
    as_user(app, client, users["recruiter"])
    for path in ("offer", "hire"):
        response = client.post(f"{API}/applications/{ready['application_id']}/{path}", json={})
        assert response.status_code == 410
        assert "/offers" in response.json["error"]["detail"]


def test_offers_awaiting_approval_are_read_on_their_index(app):
    """The admin home's offers awaiting approval and their number: an index range, not a
    scan of every offer (SQLite's plan; PostgreSQL's with scans priced out, as its planner
    scans a table this small whatever the indexes)."""
    from sqlalchemy import text
    from sqlalchemy.dialects import sqlite

    from app.services.offers import AWAITING_APPROVAL, AWAITING_APPROVAL_COUNT

    with app.app_context():
        on_postgresql = db.engine.dialect.name == "postgresql"
        for query in (AWAITING_APPROVAL.limit(3), AWAITING_APPROVAL_COUNT):
            if on_postgresql:
                sql = str(
                    query.compile(dialect=db.engine.dialect, compile_kwargs={"literal_binds": True})
                )
                db.session.execute(text("SET LOCAL enable_seqscan = off"))
                plan = "\n".join(db.session.scalars(text("EXPLAIN " + sql.replace("%%", "%"))))
                db.session.rollback()
                assert "ix_offers_status_created on offers" in plan, plan
            else:
                sql = str(
                    query.compile(dialect=sqlite.dialect(), compile_kwargs={"literal_binds": True})
                )
                plan = " | ".join(
                    row[-1] for row in db.session.execute(text("EXPLAIN QUERY PLAN " + sql))
                )
                assert "INDEX ix_offers_status_created (status=?)" in plan, plan
                assert "USE TEMP B-TREE FOR ORDER BY" not in plan, plan
