"""JSON representations of promotion packets (the shapes the OpenAPI document describes)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from flask import url_for

from app.ladder_access import get_ladder
from app.models import PromotionPacket, PromotionSection, Role, User
from app.promotions.queries import listed_people
from app.services.promotions import PacketView, section_counts
from ladder.model import Ladder
from pipelines.promotions import (
    SECTION_GROUPS,
    PacketStatus,
    People,
    can_decide,
    can_edit,
    can_withdraw,
)


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _person(user: Any) -> dict[str, Any] | None:
    if user is None:
        return None
    return {"id": user.id, "display_name": user.display_name, "email": user.email}


def _level_at(ladder: Ladder, level_id: str, specialty_id: str | None) -> dict[str, Any]:
    level = ladder.levels_by_id.get(level_id)
    return {
        "level_id": level_id,
        "title": level.title if level is not None else None,
        "grade": level.grade if level is not None else None,
        "specialty_id": specialty_id,
    }


def _move(packet: PromotionPacket) -> dict[str, str]:
    move = packet.move_kind
    return {"value": move.value, "label": move.label}


def _links(packet_id: int) -> dict[str, str]:
    return _link_maker()(packet_id)


def _link_maker() -> Callable[[int], dict[str, str]]:
    """A packet's links, from addresses built once (a list builds them per row otherwise)."""
    detail = url_for("api.promotion_detail", packet_id=0).removesuffix("0")
    document = url_for("api.promotion_document_pdf", packet_id=0, paper="a4")
    before, after = document.split("/0/", 1)

    def links(packet_id: int) -> dict[str, str]:
        return {"self": f"{detail}{packet_id}", "document": f"{before}/{packet_id}/{after}"}

    return links


def _actions(edit: bool, decide: bool, withdraw: bool) -> dict[str, bool]:
    return {"edit": edit, "submit": edit, "decide": decide, "withdraw": withdraw}


def _may_withdraw(user: User, is_admin: bool, status: PacketStatus, people: People) -> bool:
    return status.is_open and can_withdraw(user.id, is_admin, people)


def _section(section: PromotionSection) -> dict[str, Any]:
    return {
        "key": section.key,
        "kind": section.kind,
        "group": SECTION_GROUPS[section.kind],
        "heading": section.heading,
        "items": list(section.items or ()),
        "description": section.description,
        "origin": section.origin,
        "required": section.required,
        "evidence": section.evidence,
        "version": section.version,
    }


def _common(
    packet: PromotionPacket, ladder: Ladder, subject: Any = None, author: Any = None
) -> dict[str, Any]:
    """``subject`` and ``author``: the packet's people as a list row holds them (then
    ``packet.subject`` and ``packet.author`` need not be loaded)."""
    return {
        "id": packet.id,
        "version": packet.version,
        "status": packet.status,
        "move": _move(packet),
        "subject": _person(subject if subject is not None else packet.subject),
        "author": _person(author if author is not None else packet.author),
        "from": _level_at(ladder, packet.source_level_id, packet.source_specialty_id),
        "to": _level_at(ladder, packet.target_level_id, packet.target_specialty_id),
        "created_at": _iso(packet.created_at),
        "updated_at": _iso(packet.updated_at),
        "submitted_at": _iso(packet.submitted_at),
        "decided_at": _iso(packet.decided_at),
        "ladder_version": packet.ladder_version,
    }


def packet_detail(view: PacketView, user: User) -> dict[str, Any]:
    """The whole packet as ``user`` (who loaded ``view``) may see it."""
    packet = view.packet
    counts = section_counts(packet)
    withdraw = _may_withdraw(user, user.has_role(Role.ADMIN), view.status, view.people)
    return {
        **_common(packet, get_ladder()),
        "decided_by": _person(packet.decided_by),
        "decision_comment": packet.decision_comment,
        "effective_on": packet.effective_on.isoformat() if packet.effective_on else None,
        "sections": [_section(s) for s in packet.sections],
        "progress": {"required": counts["required"], "done": counts["done"]},
        "actions": _actions(view.may_edit, view.may_decide, withdraw),
        "links": _links(packet.id),
    }


def packet_summaries(rows: Iterable[Any], user: User) -> list[dict[str, Any]]:
    """List items: the packet without its sections, from rows of
    :func:`app.promotions.queries.packet_rows` (each packet with its people and its
    required sections and those with evidence)."""
    ladder = get_ladder()
    is_admin = user.has_role(Role.ADMIN)
    links = _link_maker()
    items = []
    for row in rows:
        packet, subject, author, required, done = listed_people(row)
        people = People(subject.id, author.id, subject.manager_id, author.manager_id)
        status = packet.status
        items.append(
            {
                **_common(packet, ladder, subject, author),
                "progress": {"required": required, "done": done},
                "actions": _actions(
                    status is PacketStatus.DRAFT and can_edit(user.id, people),
                    status is PacketStatus.SUBMITTED and can_decide(user.id, is_admin, people),
                    _may_withdraw(user, is_admin, status, people),
                ),
                "links": links(packet.id),
            }
        )
    return items
