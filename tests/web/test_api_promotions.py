"""The promotion-packet JSON API and the ladder diff: the whole flow, and every refusal."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.db import db
from app.models import AuditEvent, PromotionPacket, PromotionSection, Role, User
from app.services import promotions
from tests.conftest import login_as, place
from tests.web.test_api_hiring import bearer, conformance, documented_schema

API = "/api/v1"
NEW_AT_SENIOR = "Expert in GitLab usage and able to train others in its usage"
MET_AT_CSM = "Understanding of Git and typical branching strategies"


def call(client, method, path, headers, body=None, **kwargs):
    """The response's status and JSON body (the response is closed)."""
    response = client.open(f"{API}{path}", method=method, headers=headers, json=body, **kwargs)
    try:
        return response.status_code, response.get_json(silent=True)
    finally:
        response.close()


@pytest.fixture
def tokens(app, users) -> dict[str, dict[str, str]]:
    return {role: bearer(app, user_id) for role, user_id in users.items()}


@pytest.fixture
def team(app, users, make_user) -> dict[str, int]:
    """The team member (csm) reports to the hiring manager (manager-csm), who reports to a
    director without any role: the director approves the hiring manager's packets."""
    director = make_user("director@example.org", (Role.TEAM_MEMBER,), name="Dee Director")
    with app.app_context():
        place(director, "senior-manager-csm", None)
        place(users["hiring_manager"], "manager-csm", director)
        place(users["team_member"], "csm", users["hiring_manager"])
    return {**users, "director": director}


def sections_by_heading(packet):
    return {section["heading"]: section for section in packet["sections"]}


def audit_rows(app, packet_id):
    """The packet's changes in the audit log (its reads and refusals left out)."""
    with app.app_context():
        return db.session.execute(
            select(AuditEvent.action, AuditEvent.channel, AuditEvent.actor_id)
            .where(
                AuditEvent.object_type == "promotion_packet",
                AuditEvent.object_id == str(packet_id),
                AuditEvent.action.like("promotion.%"),
            )
            .order_by(AuditEvent.id)
        ).all()


# --- the whole flow -------------------------------------------------------------------


def test_a_packet_runs_from_start_to_approval_through_the_api(app, client, team, tokens):
    manager, member = tokens["hiring_manager"], tokens["team_member"]
    director = bearer(app, team["director"])

    status, packet = call(
        client,
        "POST",
        "/promotions",
        manager,
        {"user_email": "Team_Member@example.org", "target_level_id": "senior-csm"},
    )
    assert status == 201, packet
    packet_id = packet["id"]
    response = client.post(
        f"{API}/promotions",
        headers=manager,
        json={"user_email": "team_member@example.org", "target_level_id": "senior-csm"},
    )
    assert response.status_code == 409  # one open packet per person
    response.close()
    assert (packet["status"], packet["move"]["value"]) == ("draft", "next_in_track")
    assert packet["move"]["label"] == "Next level in the track"
    assert packet["subject"] == {
        "id": team["team_member"],
        "display_name": "Team_Member",
        "email": "team_member@example.org",
    }
    assert packet["author"]["id"] == team["hiring_manager"]
    assert packet["from"]["level_id"] == "csm" and packet["to"]["level_id"] == "senior-csm"
    assert packet["to"]["grade"] == 7 and packet["to"]["title"]
    # The sections come from the diff: what is new at the target, not what is already met.
    headings = sections_by_heading(packet)
    assert headings[NEW_AT_SENIOR]["kind"] == "requirement"
    assert headings[NEW_AT_SENIOR]["group"] == "New requirements"
    assert headings[NEW_AT_SENIOR]["origin"] == "senior-csm"
    assert MET_AT_CSM not in headings
    assert packet["sections"][-1]["key"] == "justification"
    required = [s for s in packet["sections"] if s["required"]]
    assert packet["progress"] == {"required": len(required), "done": 0}
    assert packet["actions"] == {"edit": True, "submit": True, "decide": False, "withdraw": True}
    assert packet["links"]["self"] == f"{API}/promotions/{packet_id}"
    assert packet["links"]["document"] == f"{API}/promotions/{packet_id}/document.pdf?paper=a4"

    # The person reads it but changes nothing; the director does not see a draft.
    status, seen = call(client, "GET", f"/promotions/{packet_id}", member)
    assert status == 200 and not any(seen["actions"].values())
    assert set(seen["actions"]) == {"edit", "submit", "decide", "withdraw"}
    assert call(client, "PATCH", f"/promotions/{packet_id}", member, {"sections": []})[0] == 403
    assert call(client, "GET", f"/promotions/{packet_id}", director)[0] == 404

    # Submitting needs the packet's version; an empty packet names every missing section.
    status, refused = call(client, "POST", f"/promotions/{packet_id}/submit", manager, {})
    assert status == 422 and set(refused["error"]["fields"]) == {"version"}
    status, refused = call(
        client, "POST", f"/promotions/{packet_id}/submit", manager, {"version": packet["version"]}
    )
    assert status == 422
    assert set(refused["error"]["fields"]) == {s["key"] for s in required}

    edits = [
        {"key": s["key"], "evidence": f"Evidence for {s['key']}.", "version": s["version"]}
        for s in required
    ]
    status, edited = call(client, "PATCH", f"/promotions/{packet_id}", manager, {"sections": edits})
    assert status == 200, edited
    assert edited["progress"] == {"required": len(required), "done": len(required)}
    assert edited["version"] > packet["version"]
    assert {s["key"]: s["evidence"] for s in edited["sections"] if s["required"]} == {
        e["key"]: e["evidence"] for e in edits
    }

    stale = {"version": packet["version"]}
    status, body = call(client, "POST", f"/promotions/{packet_id}/submit", manager, stale)
    assert status == 409 and body["error"]["current_version"] == edited["version"]
    current = {"version": edited["version"]}
    status, submitted = call(client, "POST", f"/promotions/{packet_id}/submit", manager, current)
    assert status == 200, submitted
    assert submitted["status"] == "submitted" and submitted["submitted_at"]
    # The author may still withdraw it, not edit it.
    assert submitted["actions"] == {
        "edit": False,
        "submit": False,
        "decide": False,
        "withdraw": True,
    }
    # No more edits once submitted.
    versions = {s["key"]: s["version"] for s in submitted["sections"]}
    late = [{**edits[0], "evidence": "Late.", "version": versions[edits[0]["key"]]}]
    status, body = call(client, "PATCH", f"/promotions/{packet_id}", manager, {"sections": late})
    assert status == 409 and "only a draft" in body["error"]["detail"]
    assert body["error"]["current_version"] == submitted["version"]
    assert body["error"]["title"] == "Not possible now"  # nothing changed meanwhile

    # Neither the person nor the author decides.
    approve = {"decision": "approve", "comment": "Yes."}
    for headers in (member, manager):
        assert call(client, "POST", f"/promotions/{packet_id}/decision", headers, approve)[0] == 403

    # The author's own manager does, and does not withdraw it.
    status, seen = call(client, "GET", f"/promotions/{packet_id}", director)
    assert status == 200 and seen["actions"]["decide"] is True
    assert seen["actions"]["withdraw"] is False
    withdraw = {"version": seen["version"]}
    status, body = call(client, "POST", f"/promotions/{packet_id}/withdraw", director, withdraw)
    assert status == 403 and body["error"]["status"] == 403
    decline = {"decision": "decline", "comment": "  ", "version": seen["version"]}
    status, body = call(client, "POST", f"/promotions/{packet_id}/decision", director, decline)
    assert status == 422 and set(body["error"]["fields"]) == {"comment"}
    status, decided = call(
        client,
        "POST",
        f"/promotions/{packet_id}/decision",
        director,
        {**approve, "comment": "Well argued.", "version": seen["version"]},
    )
    assert status == 200, decided
    assert decided["status"] == "approved" and decided["decided_at"]
    assert decided["decided_by"]["id"] == team["director"]
    assert decided["decision_comment"] == "Well argued."
    assert not any(decided["actions"].values())
    again = {**approve, "version": decided["version"]}
    status, body = call(client, "POST", f"/promotions/{packet_id}/decision", director, again)
    assert status == 409 and "only a submitted packet" in body["error"]["detail"]
    assert body["error"]["current_version"] == decided["version"]

    assert audit_rows(app, packet_id) == [
        ("promotion.start", "api", team["hiring_manager"]),
        ("promotion.edit", "api", team["hiring_manager"]),
        ("promotion.submit", "api", team["hiring_manager"]),
        ("promotion.approve", "api", team["director"]),
    ]


def test_an_unrelated_user_gets_404_for_an_existing_packet(client, tokens, promotion_objects):
    for key in ("draft_packet_id", "submitted_packet_id"):
        packet_id = promotion_objects[key]
        for method, path, body in (
            ("GET", "", None),
            ("PATCH", "", {"sections": []}),
            ("POST", "/submit", {}),
            ("POST", "/decision", {"decision": "approve"}),
            ("POST", "/withdraw", {"version": 1}),
            ("GET", "/document.pdf", None),
        ):
            status, error = call(
                client, method, f"/promotions/{packet_id}{path}", tokens["recruiter"], body
            )
            assert status == 404, (method, path)
            assert error["error"]["status"] == 404
    assert call(client, "GET", "/promotions/999999", tokens["admin"])[0] == 404


# --- creating -------------------------------------------------------------------------


NOT_YOUR_REPORT = "You can start a promotion packet only for one of your own reports."


def test_refused_starts(app, client, users, tokens, make_user, promotion_objects):
    manager = tokens["hiring_manager"]

    def start(headers, **body):
        return call(client, "POST", "/promotions", headers, body)

    # Values that say nothing about anyone come first.
    status, body = start(manager, user_email="not an address", target_level_id="senior-csm")
    assert status == 422 and set(body["error"]["fields"]) == {"user_email"}
    status, body = start(manager, user_email="team_member@example.org")
    assert status == 422 and set(body["error"]["fields"]) == {"target_level_id"}

    # Not the caller's report: 403, whatever else is wrong with the body.
    status, body = start(manager, user_email="nobody@example.org", target_level_id="nope")
    assert status == 403 and body["error"]["detail"] == NOT_YOUR_REPORT
    status, body = start(
        tokens["recruiter"], user_email="team_member@example.org", target_level_id="staff-csm"
    )
    assert status == 403 and body["error"]["detail"] == NOT_YOUR_REPORT
    status, body = start(manager, user_email="hiring_manager@example.org", target_level_id="csm")
    assert status == 403 and body["error"]["detail"] == NOT_YOUR_REPORT  # not for oneself

    # To the manager, what is wrong is said, naming the person.
    gone = make_user("gone@example.org", name="Gwen Gone")
    with app.app_context():
        place(gone, "csm", users["hiring_manager"])
        db.session.get(User, gone).active = False
        db.session.commit()
    status, body = start(manager, user_email="gone@example.org", target_level_id="senior-csm")
    assert status == 422
    assert body["error"]["fields"]["user_email"] == ["Gwen Gone's account is deactivated."]

    unplaced = make_user("unplaced@example.org", name="Uma Unplaced")
    with app.app_context():
        place(unplaced, None, users["hiring_manager"])
    status, body = start(manager, user_email="unplaced@example.org", target_level_id="senior-csm")
    assert status == 422
    assert "Uma Unplaced has no current level" in body["error"]["fields"]["user_email"][0]

    status, body = start(manager, user_email="team_member@example.org", target_level_id="nope")
    assert status == 422 and set(body["error"]["fields"]) == {"target_level_id"}

    status, body = start(
        manager,
        user_email="interviewer@example.org",
        target_level_id="staff-csm",
        target_specialty_id="astronomy",
    )
    assert status == 422 and set(body["error"]["fields"]) == {"target_specialty_id"}

    # A target below the person's level.
    below = make_user("below@example.org")
    with app.app_context():
        place(below, "senior-csm", users["hiring_manager"])
    status, body = start(manager, user_email="below@example.org", target_level_id="csm")
    assert status == 422
    assert "a promotion goes up" in body["error"]["fields"]["target_level_id"][0]

    # The person already has an open packet.
    status, body = start(manager, user_email="team_member@example.org", target_level_id="staff-csm")
    assert status == 409
    assert body["error"]["existing_id"] == promotion_objects["draft_packet_id"]

    # Bodies are parsed strictly.
    assert start(manager, user_email=1, target_level_id="csm")[0] == 400
    assert start(manager, user_email="below@example.org", level="csm")[0] == 400
    with app.app_context():
        packets = db.session.scalar(select(db.func.count()).select_from(PromotionPacket))
    assert packets == 2  # only the fixture's


def test_starting_a_packet_for_someone_else_tells_nothing_about_them(
    app, client, users, tokens, make_user, promotion_objects
):
    """An unknown address, another manager's report and a deactivated account that is not
    the caller's report answer byte for byte the same: no probing for people."""
    with app.app_context():
        place(users["recruiter"], "csm", users["admin"])  # the admin's report, active
    closed = make_user("closed.account@example.org", name="Carla Closed")
    with app.app_context():
        place(closed, "csm", users["admin"])
        db.session.get(User, closed).active = False
        db.session.commit()

    def refused(email: str) -> bytes:
        response = client.post(
            f"{API}/promotions",
            headers=tokens["hiring_manager"],
            json={"user_email": email, "target_level_id": "senior-csm"},
        )
        try:
            assert response.status_code == 403, response.get_data(as_text=True)
            return response.get_data()
        finally:
            response.close()

    unknown = refused("no.such.person@example.org")
    someone_elses = refused("recruiter@example.org")
    deactivated = refused("closed.account@example.org")
    assert unknown == someone_elses == deactivated
    text = unknown.decode()
    assert NOT_YOUR_REPORT in text
    for revealing in ("Recruiter", "Carla", "deactivated", "no.such.person", "No user"):
        assert revealing not in text
    # The admin, whose report the deactivated account is, is told.
    status, body = call(
        client,
        "POST",
        "/promotions",
        tokens["admin"],
        {"user_email": "closed.account@example.org", "target_level_id": "senior-csm"},
    )
    assert status == 422
    assert body["error"]["fields"]["user_email"] == ["Carla Closed's account is deactivated."]


def test_a_target_specialty_is_kept(client, users, tokens, make_user, app):
    person = make_user("spec@example.org")
    with app.app_context():
        place(person, "csm", users["hiring_manager"])
    status, packet = call(
        client,
        "POST",
        "/promotions",
        tokens["hiring_manager"],
        {
            "user_email": "spec@example.org",
            "target_level_id": "senior-csm",
            "target_specialty_id": "public-sector",
        },
    )
    assert status == 201, packet
    assert packet["to"]["specialty_id"] == "public-sector"
    assert any(s["origin"] == "public-sector" for s in packet["sections"])


# --- editing --------------------------------------------------------------------------


def _draft(client, headers, packet_id):
    status, packet = call(client, "GET", f"/promotions/{packet_id}", headers)
    assert status == 200
    return packet


def test_two_edits_of_the_same_section_conflict_and_nothing_is_written(
    client, tokens, promotion_objects
):
    manager = tokens["hiring_manager"]
    packet_id = promotion_objects["draft_packet_id"]
    start = _draft(client, manager, packet_id)
    first, other = start["sections"][0], start["sections"][1]
    url = f"/promotions/{packet_id}"

    mine = {"key": first["key"], "evidence": "Mine.", "version": first["version"]}
    assert call(client, "PATCH", url, manager, {"sections": [mine]})[0] == 200
    theirs = {"key": first["key"], "evidence": "Theirs.", "version": first["version"]}
    also = {"key": other["key"], "evidence": "Also.", "version": other["version"]}
    status, body = call(client, "PATCH", url, manager, {"sections": [theirs, also]})
    assert status == 409
    (conflict,) = body["error"]["conflicts"]
    assert conflict["key"] == first["key"] and conflict["heading"] == first["heading"]
    assert (conflict["yours"], conflict["theirs"]) == ("Theirs.", "Mine.")
    now = _draft(client, manager, packet_id)
    stored = {s["key"]: s for s in now["sections"]}
    assert conflict["version"] == stored[first["key"]]["version"] != first["version"]
    assert stored[first["key"]]["evidence"] == "Mine."
    assert stored[other["key"]]["evidence"] is None  # nothing of the refused request
    assert body["error"]["current_version"] == now["version"]

    # Sent again on top of the version the conflict gave, it is written.
    merged = {**theirs, "evidence": "Mine. Theirs.", "version": conflict["version"]}
    status, packet = call(client, "PATCH", url, manager, {"sections": [merged]})
    assert status == 200
    assert sections_by_heading(packet)[first["heading"]]["evidence"] == "Mine. Theirs."


def test_edits_of_different_sections_from_the_same_version_both_succeed(
    app, client, users, tokens, promotion_objects
):
    packet_id = promotion_objects["draft_packet_id"]
    manager = tokens["hiring_manager"]
    start = _draft(client, manager, packet_id)
    a, b = start["sections"][0], start["sections"][1]
    url = f"/promotions/{packet_id}"
    first = {"key": a["key"], "evidence": "A", "version": a["version"]}
    second = {"key": b["key"], "evidence": "B", "version": b["version"]}
    assert call(client, "PATCH", url, manager, {"sections": [first]})[0] == 200
    # The second edit started from the same read, before the first was made.
    status, packet = call(client, "PATCH", url, manager, {"sections": [second]})
    assert status == 200
    stored = {s["key"]: s["evidence"] for s in packet["sections"]}
    assert (stored[a["key"]], stored[b["key"]]) == ("A", "B")
    assert [row[0] for row in audit_rows(app, packet_id)].count("promotion.edit") == 2


JUSTIFICATION = {"key": "justification", "evidence": "x", "version": 1}
NO_VERSION = "'version' is required: the section's version"
NOT_AN_INTEGER = "'version' must be an integer: the section's version"


def _save_as(app, user_id: int, packet_id: int, texts: dict[str, str]) -> None:
    """Another editor saves sections through the service, on top of what is stored now."""
    with app.app_context():
        actor = db.session.get(User, user_id)
        view = promotions.load_packet(actor, packet_id)
        versions = {s.key: s.version for s in view.packet.sections}
        edits = {key: (text, versions[key]) for key, text in texts.items()}
        promotions.save_sections(view, actor, edits)


def test_a_patch_answers_what_it_wrote_even_if_another_save_follows(
    app, client, users, tokens, promotion_objects, monkeypatch
):
    """Between the PATCH's commit and its answer, another editor saves the same section and
    a second one: the answer keeps the versions, text, progress and packet version of the
    PATCH's own write, so sending them back conflicts instead of overwriting."""
    packet_id = promotion_objects["draft_packet_id"]
    manager = tokens["hiring_manager"]
    before = _draft(client, manager, packet_id)
    required = [s for s in before["sections"] if s["required"]]
    mine, other = required[0], required[1]
    original = promotions.save_sections_of

    def then_someone_else(*args, **kwargs):
        result = original(*args, **kwargs)
        _save_as(
            app,
            users["hiring_manager"],
            packet_id,
            {mine["key"]: "B's careful text", other["key"]: "B's other text"},
        )
        return result

    monkeypatch.setattr(promotions, "save_sections_of", then_someone_else)
    url = f"/promotions/{packet_id}"
    edit = {"key": mine["key"], "evidence": "A's draft", "version": mine["version"]}
    status, answer = call(client, "PATCH", url, manager, {"sections": [edit]})
    monkeypatch.setattr(promotions, "save_sections_of", original)
    assert status == 200, answer

    sections = {s["key"]: s for s in answer["sections"]}
    assert sections[mine["key"]]["version"] == mine["version"] + 1  # A's write, not B's
    assert sections[mine["key"]]["evidence"] == "A's draft"
    assert sections[other["key"]]["version"] == other["version"]
    assert answer["progress"] == {"required": len(required), "done": 1}
    assert answer["version"] == before["version"] + 1
    now = _draft(client, manager, packet_id)  # B's saves are stored
    stored = {s["key"]: s for s in now["sections"]}
    assert stored[mine["key"]]["version"] == mine["version"] + 2
    assert now["version"] == before["version"] + 2

    # A types on, sending the version it was given: B's text is not overwritten.
    more = {**edit, "evidence": "A's draft, more", "version": sections[mine["key"]]["version"]}
    status, body = call(client, "PATCH", url, manager, {"sections": [more]})
    assert status == 409
    (conflict,) = body["error"]["conflicts"]
    assert (conflict["yours"], conflict["theirs"]) == ("A's draft, more", "B's careful text")
    # Nor does a submit with the packet version A was given slip B's texts past A.
    status, body = call(client, "POST", f"{url}/submit", manager, {"version": answer["version"]})
    assert status == 409 and body["error"]["current_version"] == now["version"]
    assert _draft(client, manager, packet_id)["sections"] == now["sections"]


def test_a_patch_without_interference_answers_the_stored_packet(client, tokens, promotion_objects):
    packet_id = promotion_objects["draft_packet_id"]
    manager = tokens["hiring_manager"]
    before = _draft(client, manager, packet_id)
    first = before["sections"][0]
    edit = {"key": first["key"], "evidence": "  Text.  ", "version": first["version"]}
    status, answer = call(
        client, "PATCH", f"/promotions/{packet_id}", manager, {"sections": [edit]}
    )
    assert status == 200
    assert answer == _draft(client, manager, packet_id)
    assert sections_by_heading(answer)[first["heading"]]["evidence"] == "Text."
    # Sending the same text again writes nothing and answers the same packet.
    same = {**edit, "version": first["version"] + 1}
    status, again = call(client, "PATCH", f"/promotions/{packet_id}", manager, {"sections": [same]})
    assert status == 200 and again == answer


@pytest.mark.parametrize(
    ("sections", "status", "fields", "says"),
    [
        ([{**JUSTIFICATION, "key": "no-such-section"}], 422, {"no-such-section"}, "no section"),
        ([], 422, {"sections"}, "at least one"),
        ([{"key": "justification", "version": 1}], 422, {"justification"}, "'evidence'"),
        ([{**JUSTIFICATION, "evidence": "x" * 20_001}], 422, {"justification"}, "At most"),
        (
            [JUSTIFICATION, {**JUSTIFICATION, "evidence": "b"}],
            422,
            {"justification"},
            "more than once",
        ),
        # Never a blind overwrite: the version is required, and an integer.
        ([{"key": "justification", "evidence": "x"}], 422, {"justification"}, NO_VERSION),
        ([{**JUSTIFICATION, "version": None}], 422, {"justification"}, NO_VERSION),
        ([{**JUSTIFICATION, "version": "1"}], 422, {"justification"}, NOT_AN_INTEGER),
        ([{**JUSTIFICATION, "version": 1.5}], 422, {"justification"}, NOT_AN_INTEGER),
        ([{**JUSTIFICATION, "version": True}], 422, {"justification"}, NOT_AN_INTEGER),
        ("justification", 400, {"sections"}, "list of objects"),
        ([{**JUSTIFICATION, "evidence": 3}], 400, {"sections"}, "'evidence' must be"),
        ([{**JUSTIFICATION, "text": "y"}], 400, {"sections"}, "unknown field"),
        (["justification"], 400, {"sections"}, "expected an object"),
        (None, 422, {"sections"}, "required"),
    ],
)
def test_section_edits_are_checked(
    client, tokens, promotion_objects, sections, status, fields, says
):
    packet_id = promotion_objects["draft_packet_id"]
    got, body = call(
        client,
        "PATCH",
        f"/promotions/{packet_id}",
        tokens["hiring_manager"],
        {"sections": sections},
    )
    assert got == status, body
    assert set(body["error"]["fields"]) == fields
    assert any(says in message for message in body["error"]["fields"][fields.pop()]), body
    packet = _draft(client, tokens["hiring_manager"], packet_id)
    assert all(s["evidence"] is None for s in packet["sections"])


def test_only_editors_edit_and_submit(client, tokens, promotion_objects):
    draft = promotion_objects["draft_packet_id"]
    key = promotion_objects["draft_section_key"]
    edit = {"sections": [{"key": key, "evidence": "x", "version": 1}]}
    version = _draft(client, tokens["hiring_manager"], draft)["version"]
    for role in ("admin", "team_member"):  # they read the draft, but do not write it
        status, body = call(client, "PATCH", f"/promotions/{draft}", tokens[role], edit)
        assert status == 403 and body["error"]["status"] == 403
        submit = {"version": version}
        assert call(client, "POST", f"/promotions/{draft}/submit", tokens[role], submit)[0] == 403
    assert _draft(client, tokens["hiring_manager"], draft)["version"] == version


# --- deciding -------------------------------------------------------------------------


def test_decisions_are_checked(client, tokens, promotion_objects):
    submitted = promotion_objects["submitted_packet_id"]
    draft = promotion_objects["draft_packet_id"]
    admin = tokens["admin"]  # the author's manager
    url = f"/promotions/{submitted}/decision"
    version = call(client, "GET", f"/promotions/{submitted}", admin)[1]["version"]
    status, body = call(client, "POST", url, admin, {"decision": "maybe", "version": version})
    assert status == 422 and set(body["error"]["fields"]) == {"decision"}
    status, body = call(client, "POST", url, admin, {"decision": "decline", "version": version})
    assert status == 422 and set(body["error"]["fields"]) == {"comment"}
    status, body = call(client, "POST", url, admin, {})
    assert status == 422 and set(body["error"]["fields"]) == {"decision", "version"}
    # The version is required: no decision on whatever the packet has become.
    for missing in ({}, {"version": None}, {"version": "3"}, {"version": False}):
        status, body = call(client, "POST", url, admin, {"decision": "approve", **missing})
        assert status == 422 and set(body["error"]["fields"]) == {"version"}, missing
        assert "'version'" in body["error"]["fields"]["version"][0]
    stale = {"decision": "approve", "version": version - 1}
    status, body = call(client, "POST", url, admin, stale)
    assert status == 409 and body["error"]["current_version"] == version
    # A draft cannot be decided.
    draft_version = call(client, "GET", f"/promotions/{draft}", admin)[1]["version"]
    draft_url = f"/promotions/{draft}/decision"
    status, body = call(
        client, "POST", draft_url, admin, {"decision": "approve", "version": draft_version}
    )
    assert status == 409 and "only a submitted packet" in body["error"]["detail"]
    status, declined = call(
        client,
        "POST",
        url,
        admin,
        {"decision": "decline", "comment": "Not yet: see notes.", "version": version},
    )
    assert status == 200 and declined["status"] == "declined"


def test_the_persons_manager_does_not_decide_what_they_may_edit(
    app, client, users, tokens, promotion_objects, make_user
):
    """The interviewer's packet was written by the hiring manager; with an admin as the
    interviewer's manager now, that admin may edit it and so may not approve it."""
    submitted = promotion_objects["submitted_packet_id"]
    other_admin = make_user("second.admin@example.org", (Role.ADMIN,))
    with app.app_context():
        place(users["interviewer"], "senior-csm", other_admin)
    headers = bearer(app, other_admin)
    status, packet = call(client, "GET", f"/promotions/{submitted}", headers)
    assert status == 200 and packet["actions"]["decide"] is False
    assert packet["actions"]["withdraw"] is True
    approve = {"decision": "approve", "version": packet["version"]}
    status, body = call(client, "POST", f"/promotions/{submitted}/decision", headers, approve)
    assert status == 403 and body["error"]["status"] == 403
    # The author's own manager still decides.
    status, decided = call(
        client, "POST", f"/promotions/{submitted}/decision", tokens["admin"], approve
    )
    assert status == 200 and decided["status"] == "approved"


# --- withdrawing ----------------------------------------------------------------------


def test_withdrawing_a_packet(app, client, users, tokens, promotion_objects):
    draft = promotion_objects["draft_packet_id"]
    submitted = promotion_objects["submitted_packet_id"]
    manager, admin = tokens["hiring_manager"], tokens["admin"]
    url = f"/promotions/{draft}/withdraw"
    version = _draft(client, manager, draft)["version"]

    # The person reads the packet but may not withdraw it.
    status, body = call(client, "POST", url, tokens["team_member"], {"version": version})
    assert status == 403 and body["error"]["status"] == 403
    # The version is required, and current.
    for missing in ({}, {"version": None}, {"version": "1"}, {"reason": "x"}):
        status, body = call(client, "POST", url, manager, missing)
        assert status == 422 and set(body["error"]["fields"]) == {"version"}, missing
    status, body = call(client, "POST", url, manager, {"reason": "x" * 20_001, "version": version})
    assert status == 422 and set(body["error"]["fields"]) == {"reason"}
    status, body = call(client, "POST", url, manager, {"version": version - 1})
    assert status == 409 and body["error"]["current_version"] == version
    assert call(client, "POST", url, manager, {"version": version, "why": "x"})[0] == 400
    assert _draft(client, manager, draft)["status"] == "draft"

    status, packet = call(
        client, "POST", url, manager, {"reason": "  Moved to another team. ", "version": version}
    )
    assert status == 200, packet
    assert packet["status"] == "withdrawn" and packet["decided_at"]
    assert packet["decided_by"]["id"] == users["hiring_manager"]
    assert packet["decision_comment"] == "Moved to another team."
    assert not any(packet["actions"].values())
    assert packet["version"] > version
    # Closed: not withdrawn twice, not edited, not submitted.
    current = {"version": packet["version"]}
    status, body = call(client, "POST", url, manager, current)
    assert status == 409 and "only an open packet" in body["error"]["detail"]
    assert body["error"]["current_version"] == packet["version"]
    status, body = call(client, "POST", f"/promotions/{draft}/submit", manager, current)
    assert status == 409 and "only a draft" in body["error"]["detail"]
    section = packet["sections"][0]
    edit = {"sections": [{"key": section["key"], "evidence": "x", "version": section["version"]}]}
    status, body = call(client, "PATCH", f"/promotions/{draft}", manager, edit)
    assert status == 409 and "withdrawn" in body["error"]["detail"]
    # The person can have a new packet now.
    status, fresh = call(
        client,
        "POST",
        "/promotions",
        manager,
        {"user_email": "team_member@example.org", "target_level_id": "senior-csm"},
    )
    assert status == 201 and fresh["id"] != draft

    # An admin who is no editor withdraws a submitted packet (its author may have left).
    version = call(client, "GET", f"/promotions/{submitted}", admin)[1]["version"]
    status, packet = call(
        client, "POST", f"/promotions/{submitted}/withdraw", admin, {"version": version}
    )
    assert status == 200 and packet["status"] == "withdrawn"
    assert packet["decided_by"]["id"] == users["admin"] and packet["decision_comment"] is None
    decide = {"decision": "approve", "version": packet["version"]}
    status, body = call(client, "POST", f"/promotions/{submitted}/decision", admin, decide)
    assert status == 409 and "only a submitted packet" in body["error"]["detail"]

    assert [row for row in audit_rows(app, draft) if row[0] == "promotion.withdraw"] == [
        ("promotion.withdraw", "api", users["hiring_manager"])
    ]
    assert ("promotion.withdraw", "api", users["admin"]) in audit_rows(app, submitted)


# --- the list -------------------------------------------------------------------------


def test_the_list_holds_what_the_caller_may_read(client, tokens, promotion_objects):
    draft = promotion_objects["draft_packet_id"]
    submitted = promotion_objects["submitted_packet_id"]
    expected = {
        "admin": {draft, submitted},
        "hiring_manager": {draft, submitted},
        "team_member": {draft},
        "interviewer": {submitted},
        "recruiter": set(),
    }
    for role, ids in expected.items():
        status, page = call(client, "GET", "/promotions", tokens[role])
        assert status == 200
        assert {item["id"] for item in page["items"]} == ids, role
        assert page["next"] is None
    status, page = call(client, "GET", "/promotions", tokens["admin"])
    item = next(i for i in page["items"] if i["id"] == submitted)
    assert item["status"] == "submitted"
    assert item["progress"]["done"] == item["progress"]["required"] > 0
    assert item["actions"] == {"edit": False, "submit": False, "decide": True, "withdraw": True}
    assert "sections" not in item
    manager_view = call(client, "GET", "/promotions", tokens["hiring_manager"])[1]
    mine = {i["id"]: i["actions"] for i in manager_view["items"]}
    assert mine[draft] == {"edit": True, "submit": True, "decide": False, "withdraw": True}
    assert mine[submitted] == {"edit": False, "submit": False, "decide": False, "withdraw": True}
    person_view = call(client, "GET", "/promotions", tokens["team_member"])[1]
    (own,) = person_view["items"]
    assert own["actions"] == {"edit": False, "submit": False, "decide": False, "withdraw": False}
    assert call(client, "GET", "/promotions?per_page=0", tokens["admin"])[0] == 422
    assert call(client, "GET", "/promotions?page=2", tokens["admin"])[0] == 422
    one = call(client, "GET", "/promotions?per_page=1", tokens["admin"])[1]
    two = call(client, "GET", one["next"].removeprefix(API), tokens["admin"])[1]
    listed = [i["id"] for i in one["items"] + two["items"]]
    assert sorted(listed) == sorted([submitted, draft])
    assert two["next"] is None


def _add_packets(app, users, make_user, count, prefix):
    with app.app_context():
        manager = db.session.get(User, users["hiring_manager"])
    for i in range(count):
        person = make_user(f"{prefix}{i}@example.org")
        with app.app_context():
            place(person, "csm", users["hiring_manager"])
            manager = db.session.get(User, users["hiring_manager"])
            packet = promotions.start_packet(manager, db.session.get(User, person), "senior-csm")
            if i % 2:
                view = promotions.load_packet(manager, packet.id)
                promotions.save_sections(
                    view, manager, {"justification": ("Ready.", None)}, channel="api"
                )


@pytest.mark.parametrize("role", ["hiring_manager", "admin", "team_member"])
def test_the_list_runs_a_constant_number_of_queries(
    app, client, users, tokens, make_user, count_queries, promotion_objects, role
):
    headers = tokens[role]
    assert call(client, "GET", "/promotions", headers)[0] == 200  # the token's first use
    _add_packets(app, users, make_user, 2, "small")
    with count_queries() as small:
        status, first = call(client, "GET", "/promotions?per_page=100", headers)
    _add_packets(app, users, make_user, 13, "large")
    with count_queries() as large:
        status2, second = call(client, "GET", "/promotions?per_page=100", headers)
    assert status == status2 == 200
    if role != "team_member":
        assert (len(first["items"]), len(second["items"])) == (4, 17)
        done = {i["id"]: i["progress"]["done"] for i in second["items"]}
        assert sorted(done.values()).count(1) == 7  # the odd ones have a justification
    assert large.count == small.count, large.statements


# --- the ladder diff ------------------------------------------------------------------


def test_the_ladder_diff(client, tokens):
    headers = tokens["interviewer"]
    status, diff = call(client, "GET", "/ladder/diff?from=csm&to=senior-csm", headers)
    assert status == 200
    assert diff["from"] == {
        "id": "csm",
        "title": diff["from"]["title"],
        "grade": diff["from"]["grade"],
        "family": "customer-success-management",
        "specialty": None,
    }
    assert diff["to"]["id"] == "senior-csm" and diff["to"]["grade"] == 7
    assert diff["relation"] == "target_builds_on_source"
    requirements = diff["requirements"]
    added = {item["text"]: item for item in requirements["added"]}
    kept = {item["text"]: item for item in requirements["kept"]}
    assert added[NEW_AT_SENIOR] == {
        "text": NEW_AT_SENIOR,
        "items": [],
        "origin": "senior-csm",
        "origin_kind": "level",
    }
    assert kept[MET_AT_CSM]["origin_kind"] == "family"
    assert MET_AT_CSM not in added and NEW_AT_SENIOR not in kept
    assert requirements["dropped"] == []
    assert set(diff) >= {"responsibilities", "requirements", "performance_indicators"}
    # The other way round, what was added is dropped.
    back = call(client, "GET", "/ladder/diff?from=senior-csm&to=csm", headers)[1]
    assert back["relation"] == "source_builds_on_target"
    assert NEW_AT_SENIOR in {item["text"] for item in back["requirements"]["dropped"]}
    # With a specialty, its items follow.
    status, special = call(
        client, "GET", "/ladder/diff?from=csm&to=senior-csm&to_specialty=public-sector", headers
    )
    assert status == 200 and special["to"]["specialty"] == "public-sector"
    origins = {
        i["origin_kind"]
        for kind in ("responsibilities", "requirements")
        for i in special[kind]["added"]
    }
    assert "specialty" in origins


@pytest.mark.parametrize(
    ("query", "status", "says"),
    [
        ("to=csm", 422, "from"),
        ("from=csm&to=", 422, "to"),
        ("from=astronaut&to=csm", 404, "astronaut"),
        ("from=csm&to=astronaut", 404, "astronaut"),
        ("from=csm&to=senior-csm&from_specialty=astronomy", 404, "astronomy"),
        ("from=csm&to=senior-csm&to_specialty=astronomy", 404, "to_specialty"),
    ],
)
def test_bad_diff_queries(client, tokens, query, status, says):
    got, body = call(client, "GET", f"/ladder/diff?{query}", tokens["team_member"])
    assert got == status
    error = body["error"]
    if status == 422:
        assert set(error["fields"]) == {says}
    else:
        assert says in error["detail"]


# --- the PDF --------------------------------------------------------------------------


def test_the_packet_as_a_pdf(client, tokens, promotion_objects, monkeypatch):
    packet_id = promotion_objects["draft_packet_id"]
    manager = tokens["hiring_manager"]
    url = f"{API}/promotions/{packet_id}/document.pdf?paper=letter"
    response = client.get(url, headers=manager)
    assert response.status_code == 200
    assert response.data.startswith(b"%PDF")
    assert response.mimetype == "application/pdf"
    assert response.headers["Cache-Control"] == "no-store"
    assert "attachment" in response.headers["Content-Disposition"]
    assert "letter" in response.headers["Content-Disposition"]
    etag = response.headers["ETag"]
    response.close()
    assert etag

    # A current copy is confirmed without rendering.
    import app.promotions.documents as documents

    def no_render(*args, **kwargs):
        raise AssertionError("a 304 must not render the PDF")

    with monkeypatch.context() as patch:
        patch.setattr(documents, "get_packet_pdf", no_render)
        again = client.get(url, headers={**manager, "If-None-Match": etag})
        assert again.status_code == 304
        assert again.data == b""
        assert again.headers["ETag"] == etag
        again.close()

    # An edit changes the document, so the old ETag no longer matches.
    key = promotion_objects["draft_section_key"]
    edit = {"sections": [{"key": key, "evidence": "New evidence.", "version": 1}]}
    assert call(client, "PATCH", f"/promotions/{packet_id}", manager, edit)[0] == 200
    changed = client.get(url, headers={**manager, "If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    changed.close()

    assert call(client, "GET", f"/promotions/{packet_id}/document.pdf?paper=a3", manager)[0] == 400
    reader = tokens["team_member"]  # the person reads their own packet
    assert call(client, "GET", f"/promotions/{packet_id}/document.pdf", reader)[0] == 200
    stranger = tokens["interviewer"]
    assert call(client, "GET", f"/promotions/{packet_id}/document.pdf", stranger)[0] == 404


# --- authentication, CSRF, OpenAPI ------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/ladder/diff?from=csm&to=senior-csm"),
        ("GET", "/promotions"),
        ("POST", "/promotions"),
        ("GET", "/promotions/1"),
        ("PATCH", "/promotions/1"),
        ("POST", "/promotions/1/submit"),
        ("POST", "/promotions/1/decision"),
        ("POST", "/promotions/1/withdraw"),
        ("GET", "/promotions/1/document.pdf"),
    ],
)
def test_no_or_a_bad_token_answers_401(client, users, method, path):
    for headers in ({}, {"Authorization": "Bearer hl_not-a-token"}):
        status, body = call(client, method, path, headers, {})
        assert status == 401 and body["error"]["status"] == 401


def test_cookie_edits_need_the_csrf_token_and_bearer_ones_do_not(
    app, client, users, tokens, promotion_objects, csrf_enabled
):
    packet_id = promotion_objects["draft_packet_id"]
    edit = {
        "sections": [{"key": promotion_objects["draft_section_key"], "evidence": "x", "version": 1}]
    }
    assert (
        call(client, "PATCH", f"/promotions/{packet_id}", tokens["hiring_manager"], edit)[0] == 200
    )
    login_as(app, client, users["hiring_manager"])
    status, body = call(client, "PATCH", f"/promotions/{packet_id}", {}, edit)
    assert status == 400 and "security token" in body["error"]["detail"]
    assert call(client, "GET", f"/promotions/{packet_id}", {})[0] == 200


def test_responses_match_the_openapi_document(app, client, users, tokens, promotion_objects):
    draft = promotion_objects["draft_packet_id"]
    submitted = promotion_objects["submitted_packet_id"]
    key = promotion_objects["draft_section_key"]
    manager, admin = tokens["hiring_manager"], tokens["admin"]
    one = f"/promotions/{draft}"
    submitted_version = call(client, "GET", f"/promotions/{submitted}", admin)[1]["version"]
    calls = [
        ("GET", "/ladder/diff?from=csm&to=senior-csm", "/ladder/diff", manager, None),
        ("GET", "/ladder/diff?from=csm", "/ladder/diff", manager, None),
        ("GET", "/ladder/diff?from=csm&to=nope", "/ladder/diff", manager, None),
        ("GET", "/promotions", "/promotions", manager, None),
        ("GET", one, "/promotions/{packet_id}", manager, None),
        ("GET", one, "/promotions/{packet_id}", tokens["recruiter"], None),
        ("PATCH", one, "/promotions/{packet_id}", manager, {"sections": [{"key": key}]}),
        (
            "PATCH",
            one,
            "/promotions/{packet_id}",
            manager,
            {"sections": [{"key": key, "evidence": "No version."}]},
        ),
        ("PATCH", one, "/promotions/{packet_id}", manager, {"sections": "x"}),
        ("PATCH", one, "/promotions/{packet_id}", admin, {"sections": []}),
        (
            "PATCH",
            one,
            "/promotions/{packet_id}",
            manager,
            {"sections": [{"key": key, "evidence": "First.", "version": 1}]},
        ),
        (
            "PATCH",
            one,
            "/promotions/{packet_id}",
            manager,
            {"sections": [{"key": key, "evidence": "Second.", "version": 1}]},
        ),
        ("POST", f"{one}/submit", "/promotions/{packet_id}/submit", manager, {}),
        (
            "POST",
            "/promotions",
            "/promotions",
            manager,
            {"user_email": "team_member@example.org", "target_level_id": "staff-csm"},
        ),
        (
            "POST",
            f"/promotions/{submitted}/decision",
            "/promotions/{packet_id}/decision",
            admin,
            {"decision": "approve", "comment": None},
        ),
        (
            "POST",
            f"/promotions/{submitted}/decision",
            "/promotions/{packet_id}/decision",
            admin,
            {"decision": "approve", "comment": None, "version": submitted_version},
        ),
        ("POST", f"{one}/withdraw", "/promotions/{packet_id}/withdraw", manager, {}),
        (
            "POST",
            f"{one}/withdraw",
            "/promotions/{packet_id}/withdraw",
            tokens["team_member"],
            {"version": 1},
        ),
        (
            "POST",
            f"/promotions/{submitted}/withdraw",
            "/promotions/{packet_id}/withdraw",
            manager,
            {"version": submitted_version + 1},
        ),
        ("GET", "/promotions", "/promotions", {}, None),
    ]
    seen = set()
    for method, path, template, headers, body in calls:
        status, data = call(client, method, path, headers, body)
        seen.add(status)
        schema = documented_schema(template, method, status)
        assert conformance(schema, data) == [], (method, path, status, data)
    assert seen == {200, 400, 401, 403, 404, 409, 422}
    # A withdrawn packet, in full and in the list.
    version = call(client, "GET", one, manager)[1]["version"]
    status, data = call(
        client, "POST", f"{one}/withdraw", manager, {"reason": "Moved teams.", "version": version}
    )
    assert status == 200 and data["status"] == "withdrawn"
    assert (
        conformance(documented_schema("/promotions/{packet_id}/withdraw", "POST", 200), data) == []
    )
    status, data = call(client, "GET", "/promotions", manager)
    assert "withdrawn" in {item["status"] for item in data["items"]}
    assert conformance(documented_schema("/promotions", "GET", 200), data) == []
    # A created packet, too.
    with app.app_context():
        place(users["recruiter"], "csm", users["hiring_manager"])
    status, data = call(
        client,
        "POST",
        "/promotions",
        manager,
        {"user_email": "recruiter@example.org", "target_level_id": "senior-csm"},
    )
    assert status == 201
    assert conformance(documented_schema("/promotions", "POST", 201), data) == []


def test_the_openapi_document_requires_versions_and_knows_withdrawal():
    from app.api.openapi import DOCUMENT

    paths = DOCUMENT["paths"]

    def body_of(path: str, method: str = "post") -> dict:
        return paths[path][method]["requestBody"]["content"]["application/json"]["schema"]

    for path in ("submit", "decision", "withdraw"):
        schema = body_of(f"/promotions/{{packet_id}}/{path}")
        assert "version" in schema["required"], path
        assert schema["properties"]["version"]["type"] == "integer", path
    entry = body_of("/promotions/{packet_id}", "patch")["properties"]["sections"]["items"]
    assert set(entry["required"]) == {"key", "evidence", "version"}
    assert entry["properties"]["version"]["type"] == "integer"
    assert paths["/promotions/{packet_id}/withdraw"]["post"]["operationId"] == "withdrawPromotion"
    schemas = DOCUMENT["components"]["schemas"]
    assert "withdrawn" in schemas["PromotionPacket"]["properties"]["status"]["enum"]
    for name in ("PromotionPacket", "PromotionPacketSummary"):
        assert "withdraw" in schemas[name]["properties"]["actions"]["properties"], name


# --- at the same moment -----------------------------------------------------------------


def test_two_clients_patching_different_sections_at_once_both_save(fresh_database_url, tmp_path):
    """Real commits on a database of its own: both PATCHes race for the packet row."""
    import threading

    from flask_migrate import upgrade

    from app import create_app
    from app.services import accounts, api_tokens

    app = create_app(
        {
            "HIRELADDER_ENV": "testing",
            "SECRET_KEY": "x",
            "SQLALCHEMY_DATABASE_URI": fresh_database_url,
            "CV_STORAGE_DIR": tmp_path / "cv",
            "SERVER_NAME": "hireladder.test",
        }
    )
    with app.app_context():
        upgrade()
        manager = accounts.create_user("mona@example.org", "Mona", None, [], actor=None)
        person = accounts.create_user("pat@example.org", "Pat", None, [], actor=None)
        person.level_id, person.manager_id = "csm", manager.id
        db.session.commit()
        packet = promotions.start_packet(manager, person, "senior-csm")
        packet_id = packet.id
        view = promotions.load_packet(manager, packet_id)
        sections = [(s.key, s.version) for s in view.packet.sections[:2]]
        headers = [
            {"Authorization": f"Bearer {api_tokens.issue(manager, actor=None)[1]}"}
            for _ in sections
        ]
        db.session.commit()
        db.session.remove()

    barrier = threading.Barrier(len(sections))
    statuses: list[int] = []

    def patch(key: str, version: int, auth: dict[str, str]) -> None:
        body = {"sections": [{"key": key, "evidence": f"Text for {key}", "version": version}]}
        client = app.test_client()
        first_use = client.get(f"{API}/me", headers=auth)  # the token's bookkeeping write
        first_use.close()
        barrier.wait(timeout=10)
        response = client.patch(f"{API}/promotions/{packet_id}", headers=auth, json=body)
        statuses.append(response.status_code)
        response.close()

    threads = [
        threading.Thread(target=patch, args=(key, version, auth))
        for (key, version), auth in zip(sections, headers, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    with app.app_context():
        stored = dict(
            db.session.execute(
                select(PromotionSection.key, PromotionSection.evidence).where(
                    PromotionSection.packet_id == packet_id
                )
            ).all()
        )
        edits = db.session.scalar(
            select(db.func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == "promotion.edit", AuditEvent.channel == "api")
        )
        db.session.remove()
        db.engine.dispose()
    assert statuses == [200, 200]
    assert {key: stored[key] for key, _ in sections} == {
        key: f"Text for {key}" for key, _ in sections
    }
    assert edits == 2
