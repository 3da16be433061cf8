"""Promotion notifications: a submitted packet tells its approver(s); a decision tells the
author and the person, each once. Both follow each person's preference, and a change that
fails queues nothing.

``promotion_objects``: the hiring manager (whose manager is the admin) wrote a draft packet
for the team member and a submitted one for the interviewer.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.db import db
from app.models import OutboxMessage, Role, User
from app.services import promotions
from app.services.errors import ConflictError
from pipelines.outbox import MessageStatus
from pipelines.promotions import Decision
from tests.conftest import fill_required, login_as, place


def _user(user_id: int) -> User:
    user = db.session.get(User, user_id)
    assert user is not None
    return user


def _view(actor_id: int, packet_id: int) -> promotions.PacketView:
    view = promotions.load_packet(_user(actor_id), packet_id)
    assert view is not None
    return view


def messages(kind: str) -> list[OutboxMessage]:
    return list(
        db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.kind == kind).order_by(OutboxMessage.id)
        )
    )


def submit_draft(users, promotion_objects) -> int:
    packet_id = promotion_objects["draft_packet_id"]
    fill_required(packet_id, users["hiring_manager"])
    view = _view(users["hiring_manager"], packet_id)
    promotions.submit_packet(view, _user(users["hiring_manager"]), expected_version=None)
    return packet_id


def test_a_submitted_packet_tells_the_authors_manager(app, users, promotion_objects):
    with app.app_context():
        before = len(messages("packet_submitted"))
        packet_id = submit_draft(users, promotion_objects)
        new = messages("packet_submitted")[before:]
        assert [m.user_id for m in new] == [users["admin"]]
        [message] = new
        assert message.to_address == "admin@example.org"
        assert message.status is MessageStatus.QUEUED
        assert (message.object_type, message.object_id) == ("promotion_packet", packet_id)
        assert message.subject == (
            "Promotion packet to decide: Team_Member, CSM (Intermediate) → Senior CSM"
        )
        assert "Hiring_Manager submitted a promotion packet for Team_Member" in message.text_body
        assert "As Hiring_Manager's manager, you approve or decline it." in message.text_body
        assert f"http://localhost/promotions/{packet_id}" in message.text_body
        assert f'href="http://localhost/promotions/{packet_id}"' in message.html_body
        # The evidence stays in HireLadder.
        assert "Led the renewal of a key account." not in message.text_body


def test_the_fixtures_submission_was_announced_too(app, users, promotion_objects):
    with app.app_context():
        [message] = messages("packet_submitted")
        assert message.user_id == users["admin"]
        assert message.object_id == promotion_objects["submitted_packet_id"]


def test_an_author_without_a_manager_leaves_the_decision_to_the_admins(
    app, users, make_user, promotion_objects
):
    second_admin = make_user("second.admin@example.org", (Role.ADMIN,))
    gone_admin = make_user("gone.admin@example.org", (Role.ADMIN,))
    with app.app_context():
        _user(gone_admin).active = False
        db.session.commit()
        place(users["hiring_manager"], "manager-csm", None)
        before = len(messages("packet_submitted"))
        submit_draft(users, promotion_objects)
        new = messages("packet_submitted")[before:]
        assert sorted(m.user_id for m in new) == sorted([users["admin"], second_admin])
        assert all("waiting for an admin's decision" in m.text_body for m in new)


def test_a_deactivated_manager_is_not_the_approver(app, users, promotion_objects):
    with app.app_context():
        # The admin is the hiring manager's manager: deactivated, the other admins decide
        # (there are none here), so nobody is told; the submission still goes through.
        _user(users["admin"]).active = False
        db.session.commit()
        before = len(messages("packet_submitted"))
        packet_id = submit_draft(users, promotion_objects)
        assert messages("packet_submitted")[before:] == []
        assert _view(users["hiring_manager"], packet_id).packet.status.value == "submitted"


@pytest.mark.parametrize(("choice", "status"), [("digest", MessageStatus.HELD), ("off", None)])
def test_the_approvers_preference_applies(app, users, promotion_objects, choice, status):
    with app.app_context():
        admin = _user(users["admin"])
        admin.notification_preferences = {"packet_submitted": choice}
        db.session.commit()
        before = len(messages("packet_submitted"))
        submit_draft(users, promotion_objects)
        new = messages("packet_submitted")[before:]
        assert [m.status for m in new] == ([status] if status else [])


def test_a_submission_that_fails_tells_nobody(app, users, promotion_objects):
    with app.app_context():
        packet_id = promotion_objects["draft_packet_id"]
        fill_required(packet_id, users["hiring_manager"])
        view = _view(users["hiring_manager"], packet_id)
        before = len(messages("packet_submitted"))
        with pytest.raises(ConflictError):
            promotions.submit_packet(
                view, _user(users["hiring_manager"]), expected_version=view.packet.version - 1
            )
        assert len(messages("packet_submitted")) == before


def test_submitting_from_the_editor_tells_the_approver(app, client, users, promotion_objects):
    packet_id = promotion_objects["draft_packet_id"]
    with app.app_context():
        fill_required(packet_id, users["hiring_manager"])
        view = _view(users["hiring_manager"], packet_id)
        data = {"action": "submit"}
        for section in view.packet.sections:
            data[f"evidence-{section.key}"] = section.evidence or ""
            data[f"base-{section.key}"] = section.evidence or ""
            data[f"version-{section.key}"] = str(section.version)
        before = len(messages("packet_submitted"))
    login_as(app, client, users["hiring_manager"])
    response = client.post(f"/promotions/{packet_id}", data=data)
    assert response.status_code in (302, 303), response.text[:500]
    with app.app_context():
        assert [m.object_id for m in messages("packet_submitted")[before:]] == [packet_id]


@pytest.mark.parametrize("decision", [Decision.APPROVE, Decision.DECLINE])
def test_a_decision_tells_the_author_and_the_person(app, users, promotion_objects, decision):
    packet_id = promotion_objects["submitted_packet_id"]
    with app.app_context():
        view = _view(users["admin"], packet_id)
        promotions.decide(
            view, _user(users["admin"]), decision, "Well argued.", expected_version=None
        )
        new = messages("packet_decided")
        assert sorted(m.user_id for m in new) == sorted(
            [users["hiring_manager"], users["interviewer"]]
        )
        word = "approved" if decision is Decision.APPROVE else "declined"
        to_author = next(m for m in new if m.user_id == users["hiring_manager"])
        to_person = next(m for m in new if m.user_id == users["interviewer"])
        assert to_author.subject == f"Promotion packet {word}: Interviewer"
        assert to_person.subject == f"Your promotion packet was {word}"
        assert "The promotion packet you wrote for Interviewer" in to_author.text_body
        assert "The promotion packet about you" in to_person.text_body
        assert f"was {word} by Admin" in to_person.text_body
        assert all(f"http://localhost/promotions/{packet_id}" in m.text_body for m in new)
        # The comment stays in HireLadder.
        assert all("Well argued." not in m.text_body for m in new)


def test_a_decision_that_fails_tells_nobody(app, users, promotion_objects):
    packet_id = promotion_objects["submitted_packet_id"]
    with app.app_context():
        view = _view(users["admin"], packet_id)
        with pytest.raises(ConflictError):
            promotions.decide(
                view,
                _user(users["admin"]),
                Decision.APPROVE,
                None,
                expected_version=view.packet.version - 1,
            )
        assert messages("packet_decided") == []


def test_withdrawing_tells_nobody(app, users, promotion_objects):
    with app.app_context():
        view = _view(users["hiring_manager"], promotion_objects["submitted_packet_id"])
        promotions.withdraw(view, _user(users["hiring_manager"]), None, expected_version=None)
        assert messages("packet_decided") == []


def test_a_person_who_turned_decisions_off_gets_none(app, users, promotion_objects):
    with app.app_context():
        person = _user(users["interviewer"])
        person.notification_preferences = {"packet_decided": "off"}
        db.session.commit()
        view = _view(users["admin"], promotion_objects["submitted_packet_id"])
        promotions.decide(
            view, _user(users["admin"]), Decision.APPROVE, None, expected_version=None
        )
        assert [m.user_id for m in messages("packet_decided")] == [users["hiring_manager"]]
