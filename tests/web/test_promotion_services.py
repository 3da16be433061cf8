"""The promotion-packet services: start, edit with per-section locking, submit, decide."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.db import db
from app.models import AuditEvent, PromotionPacket, User
from app.services import promotions
from app.services.errors import ConflictError, ServiceError
from pipelines.promotions import Decision, IncompletePacketError
from tests.conftest import fill_required, place


def _user(user_id: int) -> User:
    user = db.session.get(User, user_id)
    assert user is not None
    return user


def _view(actor_id: int, packet_id: int) -> promotions.PacketView:
    view = promotions.load_packet(_user(actor_id), packet_id)
    assert view is not None
    return view


def test_start_builds_sections_from_the_diff(app, users, promotion_objects):
    with app.app_context():
        packet = db.session.get(PromotionPacket, promotion_objects["draft_packet_id"])
        view = _view(users["hiring_manager"], packet.id)
        kinds = [s.kind for s in view.packet.sections]
        assert view.packet.source_level_id == "csm"
        assert view.packet.target_level_id == "senior-csm"
        assert view.packet.move_kind == "next_in_track"
        assert "responsibility" in kinds and "requirement" in kinds
        assert kinds[-1] == "justification"
        headings = [s.heading for s in view.packet.sections]
        assert "Expert in GitLab usage and able to train others in its usage" in headings
        # Nothing the person already meets at csm is asked for again.
        from app.ladder_access import get_ladder
        from ladder.resolve import resolve_level

        current = resolve_level(get_ladder(), "csm")
        already = {
            i.text for kind in ("responsibilities", "requirements") for i in current.of(kind)
        }
        assert already and not already & set(headings)
        actions = db.session.scalars(
            select(AuditEvent.action).where(AuditEvent.object_id == str(packet.id))
        ).all()
        assert "promotion.start" in actions


def test_only_the_manager_starts_and_only_one_open_packet(app, users, promotion_objects):
    with app.app_context():
        member = _user(users["team_member"])
        with pytest.raises(ServiceError, match="manager"):
            promotions.start_packet(_user(users["recruiter"]), member, "staff-csm")
        with pytest.raises(promotions.OpenPacketExistsError) as info:
            promotions.start_packet(_user(users["hiring_manager"]), member, "staff-csm")
        assert info.value.existing_id == promotion_objects["draft_packet_id"]


def test_target_below_the_current_level_is_refused(app, users, promotion_objects):
    with app.app_context():
        place(users["recruiter"], "senior-csm", users["hiring_manager"])
        with pytest.raises(ServiceError, match="a promotion goes up"):
            promotions.start_packet(
                _user(users["hiring_manager"]), _user(users["recruiter"]), "associate-csm"
            )


def test_two_editors_of_different_sections_both_win(app, users, promotion_objects):
    packet_id = promotion_objects["draft_packet_id"]
    with app.app_context():
        first = _view(users["hiring_manager"], packet_id)
        a, b = first.packet.sections[0], first.packet.sections[1]
        a_key, a_version, b_key, b_version = a.key, a.version, b.key, b.version
    with app.app_context():
        view = _view(users["hiring_manager"], packet_id)
        promotions.save_sections(view, _user(users["hiring_manager"]), {a_key: ("A", a_version)})
    with app.app_context():
        view = _view(users["hiring_manager"], packet_id)
        promotions.save_sections(view, _user(users["hiring_manager"]), {b_key: ("B", b_version)})
    with app.app_context():
        sections = {s.key: s.evidence for s in _view(users["admin"], packet_id).packet.sections}
        assert sections[a_key] == "A" and sections[b_key] == "B"


def test_stale_edit_of_one_section_is_refused_and_nothing_written(app, users, promotion_objects):
    packet_id = promotion_objects["draft_packet_id"]
    with app.app_context():
        view = _view(users["hiring_manager"], packet_id)
        section = view.packet.sections[0]
        key, version = section.key, section.version
        other = view.packet.sections[1].key
        promotions.save_sections(view, _user(users["hiring_manager"]), {key: ("first", version)})
    with app.app_context():
        view = _view(users["hiring_manager"], packet_id)
        with pytest.raises(promotions.SectionConflictError) as info:
            promotions.save_sections(
                view,
                _user(users["hiring_manager"]),
                {key: ("second", version), other: ("also", None)},
            )
        (conflict,) = info.value.conflicts
        assert (conflict.yours, conflict.theirs) == ("second", "first")
    with app.app_context():
        sections = {s.key: s.evidence for s in _view(users["admin"], packet_id).packet.sections}
        assert sections[key] == "first" and sections[other] is None


def test_submit_needs_every_required_section(app, users, promotion_objects):
    packet_id = promotion_objects["draft_packet_id"]
    with app.app_context():
        view = _view(users["hiring_manager"], packet_id)
        required = sum(1 for s in view.packet.sections if s.required)
        with pytest.raises(IncompletePacketError) as info:
            promotions.submit_packet(view, _user(users["hiring_manager"]), expected_version=None)
        assert len(info.value.missing) == required


def test_full_workflow_and_who_may_decide(app, users, promotion_objects):
    packet_id = promotion_objects["draft_packet_id"]
    with app.app_context():
        fill_required(packet_id, users["hiring_manager"])
        view = _view(users["hiring_manager"], packet_id)
        promotions.submit_packet(
            view, _user(users["hiring_manager"]), expected_version=view.packet.version
        )
    with app.app_context():
        # The subject reads it but may not decide; the author may not approve their own.
        assert promotions.load_packet(_user(users["team_member"]), packet_id) is not None
        for who in ("team_member", "hiring_manager"):
            view = _view(users[who], packet_id)
            assert not view.may_decide
            with pytest.raises(ServiceError):
                promotions.decide(
                    view, _user(users[who]), Decision.APPROVE, "", expected_version=None
                )
        assert promotions.load_packet(_user(users["recruiter"]), packet_id) is None
        view = _view(users["admin"], packet_id)
        assert view.may_decide
        with pytest.raises(ServiceError, match="comment is required"):
            promotions.decide(
                view, _user(users["admin"]), Decision.DECLINE, " ", expected_version=None
            )
        promotions.decide(
            view,
            _user(users["admin"]),
            Decision.APPROVE,
            "Well argued.",
            expected_version=view.packet.version,
        )
    with app.app_context():
        packet = db.session.get(PromotionPacket, packet_id)
        assert packet.status == "approved" and packet.decided_by_id == users["admin"]
        actions = db.session.scalars(
            select(AuditEvent.action)
            .where(
                AuditEvent.object_type == "promotion_packet", AuditEvent.object_id == str(packet_id)
            )
            .order_by(AuditEvent.id)
        ).all()
        assert actions == [
            "promotion.start",
            "promotion.edit",
            "promotion.submit",
            "promotion.approve",
        ]


def test_edit_after_submit_is_refused(app, users, promotion_objects):
    packet_id = promotion_objects["submitted_packet_id"]
    with app.app_context():
        view = _view(users["hiring_manager"], packet_id)
        assert not view.may_edit
        key = view.packet.sections[0].key
        with pytest.raises(ServiceError, match="only a draft"):
            promotions.save_sections(view, _user(users["hiring_manager"]), {key: ("late", None)})


def test_stale_decision_is_a_conflict(app, users, promotion_objects):
    packet_id = promotion_objects["submitted_packet_id"]
    with app.app_context():
        view = _view(users["admin"], packet_id)
        with pytest.raises(ConflictError):
            promotions.decide(
                view,
                _user(users["admin"]),
                Decision.APPROVE,
                "",
                expected_version=view.packet.version - 1,
            )
