"""JSON API for ladder diffs and promotion packets (routes on the api blueprint).

A packet the caller may not read answers 404, whether or not it exists; one they may read
but not change answers 403 to the change. Bodies are checked before the packet's state:
400 for a body of the wrong shape, 422 for values that are not valid (per section key for
evidence), then 409 when the packet's status or a newer version refuses the change. Every
change goes through :mod:`app.services.promotions` with ``channel="api"``, so it is audited.

Never a lost update: every change names the version it was made on (each section's for
evidence, the packet's to submit, decide or withdraw). A missing, null or non-integer
version is a 422 on that field, never "overwrite whatever is there".
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, get_args

from flask import Response, abort, jsonify, request, url_for
from flask.blueprints import BlueprintSetupState
from flask.typing import ResponseReturnValue
from sqlalchemy import case, func, select

from app import promotion_documents
from app.api.access import caller
from app.api.hiring import created
from app.api.payload import ApiError, Body, Field, Kind, Problems, invalid, page_args, paginated
from app.api.routes import api_login_required, bp
from app.db import db
from app.ladder_access import get_ladder
from app.models import PromotionPacket, PromotionSection, Role, User
from app.role_descriptions import PAPERS, UnknownPaper
from app.services import promotions
from app.services.accounts import get_user_by_email
from app.services.errors import ConflictError, ServiceError
from ladder.model import KINDS, Ladder, Level
from ladder.resolve import (
    OriginKind,
    Relation,
    ResolvedItem,
    UnknownIdError,
    diff_levels,
    get_level,
    relation,
    specialty_for,
)
from pipelines.promotions import (
    MAX_TEXT,
    SECTION_GROUPS,
    Decision,
    IncompletePacketError,
    InvalidTargetError,
    MoveKind,
    PacketStatus,
    People,
    SectionKind,
    can_decide,
    can_edit,
    can_start,
    can_withdraw,
    classify_move,
)

#: The PDF changes with every edit of the packet: the browser must revalidate each time.
PDF_CACHE_CONTROL = "private, no-cache"
DECISIONS = tuple(d.value for d in Decision)
SECTION_FIELDS = ("key", "evidence", "version")
#: The one answer to starting a packet for anyone but one's own report: it does not tell
#: whether the address exists, whether the account is deactivated, nor whose it is.
NOT_YOUR_REPORT = "You can start a promotion packet only for one of your own reports."


# --- bodies -------------------------------------------------------------------------


def version_problem(value: object, what: str) -> str | None:
    """Why ``value`` is not a version (an integer, required), or None."""
    if value is None:
        return f"'version' is required: {what} as last read (GET the packet)."
    if not isinstance(value, int) or isinstance(value, bool):
        return f"'version' must be an integer: {what} as last read (GET the packet)."
    return None


@dataclass(frozen=True)
class VersionField(Field):
    """A required integer version; missing, null or not an integer is a 422 on the field."""

    def has_type(self, value: object) -> bool:
        return True  # convert() answers 422 for a wrong type: it is a missing version

    def convert(self, value: Any, problems: Problems) -> Any:
        problem = version_problem(value, "the packet's version")
        if problem is not None:
            problems.add(self.name, problem)
            return None
        return value


VERSION = VersionField(
    "version",
    Kind.INTEGER,
    "The packet's version as last read (required); a different current version answers 409.",
    required=True,
)


@dataclass(frozen=True)
class SectionEdits(Field):
    """``[{"key", "evidence", "version"}, ...]``: a list of objects, checked here.

    Converts to ``{key: (evidence, version)}``; value problems are keyed by section key,
    among them a missing, null or non-integer version (required: never a blind overwrite).
    """

    def has_type(self, value: object) -> bool:
        return True  # convert() checks the shape, with messages about the entries

    def convert(self, value: Any, problems: Problems) -> Any:
        if value is None:
            problems.add(self.name, "This field is required.")
            return {}
        if not isinstance(value, list):
            raise ApiError(
                400,
                f"Wrong JSON type for {self.name}; see 'fields'.",
                fields={self.name: ["Expected a list of objects."]},
            )
        wrong: list[str] = []
        edits: dict[str, tuple[str | None, int]] = {}
        for number, entry in enumerate(value, start=1):
            where = f"Entry {number}"
            if not isinstance(entry, dict):
                wrong.append(f"{where}: expected an object with key, evidence and version.")
                continue
            unknown = sorted(set(entry) - set(SECTION_FIELDS))
            if unknown:
                wrong.append(
                    f"{where}: unknown field(s) {', '.join(unknown)}; "
                    f"an entry takes {', '.join(SECTION_FIELDS)}."
                )
            key, evidence, version = (entry.get(name) for name in SECTION_FIELDS)
            if key is not None and not isinstance(key, str):
                wrong.append(f"{where}: 'key' must be a string.")
            if evidence is not None and not isinstance(evidence, str):
                wrong.append(f"{where}: 'evidence' must be a string or null.")
            if wrong:
                continue
            if not isinstance(key, str) or not key.strip():
                problems.add(self.name, f"{where} has no 'key'.")
                continue
            if key in edits:
                problems.add(key, "The section is named more than once.")
                continue
            if "evidence" not in entry:
                problems.add(key, "Give 'evidence' (an empty string or null clears it).")
            elif len((evidence or "").strip()) > MAX_TEXT:
                problems.add(key, f"At most {MAX_TEXT:,} characters.")
            problem = version_problem(version, "the section's version")
            if problem is not None:
                problems.add(key, problem)
            edits[key] = (evidence, version)
        if wrong:
            raise ApiError(
                400, f"Wrong JSON type for {self.name}; see 'fields'.", fields={self.name: wrong}
            )
        if not value:
            problems.add(self.name, "Give at least one section.")
        return edits

    def schema(self) -> dict[str, Any]:
        return {
            "type": "array",
            "minItems": 1,
            "description": self.description,
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["key", "evidence", "version"],
                "properties": {
                    "key": {"type": "string", "description": "A section key of the packet."},
                    "evidence": {
                        "type": ["string", "null"],
                        "maxLength": MAX_TEXT,
                        "description": "The section's whole text; empty or null clears it.",
                    },
                    "version": {
                        "type": "integer",
                        "description": "The section's version as last read (required). When "
                        "the text differs from the stored one and this version is stale, the "
                        "whole request answers 409 with 'conflicts' and nothing is written.",
                    },
                },
            },
        }


CREATE = Body(
    (
        Field(
            "user_email",
            Kind.EMAIL,
            "The person the packet is about: an active direct report of the caller. Anyone "
            "else (or an unknown address) answers 403, the same for all.",
            required=True,
            max_length=254,
        ),
        Field(
            "target_level_id",
            Kind.STRING,
            "The level to promote to (GET /ladder/levels); it must be a step up.",
            required=True,
            max_length=100,
        ),
        Field(
            "target_specialty_id",
            Kind.STRING,
            "A specialty of the target level; defaults to the person's own when it applies.",
            max_length=100,
        ),
    )
)

UPDATE = Body(
    (
        SectionEdits(
            "sections",
            Kind.STRING,
            "The sections to write. Sections whose text equals the stored one are left alone.",
            required=True,
        ),
    )
)

SUBMIT = Body((VERSION,))

WITHDRAW = Body(
    (
        Field(
            "reason",
            Kind.STRING,
            "Why the packet is withdrawn; optional, kept as the packet's closing comment.",
            max_length=MAX_TEXT,
        ),
        VERSION,
    )
)

DECIDE = Body(
    (
        Field(
            "decision",
            Kind.STRING,
            "approve or decline.",
            required=True,
            choices=DECISIONS,
        ),
        Field(
            "comment",
            Kind.STRING,
            "Required to decline; optional to approve.",
            max_length=MAX_TEXT,
        ),
        VERSION,
    )
)


# --- representations ------------------------------------------------------------------


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _person(user: User | None) -> dict[str, Any] | None:
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
    return {
        "self": url_for("api.promotion_detail", packet_id=packet_id),
        "document": url_for("api.promotion_document_pdf", packet_id=packet_id, paper="a4"),
    }


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


def _common(packet: PromotionPacket, ladder: Ladder) -> dict[str, Any]:
    """Needs ``subject`` and ``author`` loaded."""
    return {
        "id": packet.id,
        "version": packet.version,
        "status": packet.status,
        "move": _move(packet),
        "subject": _person(packet.subject),
        "author": _person(packet.author),
        "from": _level_at(ladder, packet.source_level_id, packet.source_specialty_id),
        "to": _level_at(ladder, packet.target_level_id, packet.target_specialty_id),
        "created_at": _iso(packet.created_at),
        "updated_at": _iso(packet.updated_at),
        "submitted_at": _iso(packet.submitted_at),
        "decided_at": _iso(packet.decided_at),
        "ladder_version": packet.ladder_version,
    }


def packet_json(view: promotions.PacketView, user: User) -> dict[str, Any]:
    """The whole packet as ``user`` (who loaded ``view``) may see it."""
    packet = view.packet
    counts = promotions.section_counts(packet)
    withdraw = _may_withdraw(user, user.has_role(Role.ADMIN), view.status, view.people)
    return {
        **_common(packet, get_ladder()),
        "decided_by": _person(packet.decided_by),
        "decision_comment": packet.decision_comment,
        "sections": [_section(s) for s in packet.sections],
        "progress": {"required": counts["required"], "done": counts["done"]},
        "actions": _actions(view.may_edit, view.may_decide, withdraw),
        "links": _links(packet.id),
    }


def _progress(packet_ids: Sequence[int]) -> dict[int, dict[str, int]]:
    """Required sections and those with evidence, per packet, in one query."""
    has_evidence = PromotionSection.evidence.is_not(None) & (PromotionSection.evidence != "")
    rows = db.session.execute(
        select(
            PromotionSection.packet_id,
            func.count(),
            func.count(case((has_evidence, 1))),
        )
        .where(PromotionSection.packet_id.in_(packet_ids), PromotionSection.required.is_(True))
        .group_by(PromotionSection.packet_id)
    ).all()
    return {packet_id: {"required": total, "done": done} for packet_id, total, done in rows}


def _summaries(packets: Iterable[PromotionPacket], user: User) -> list[dict[str, Any]]:
    """List items: the packet without its sections. Needs ``subject`` and ``author``."""
    packets = list(packets)
    progress = _progress([p.id for p in packets])
    ladder = get_ladder()
    is_admin = user.has_role(Role.ADMIN)
    items = []
    for packet in packets:
        people = People(
            packet.subject_id, packet.author_id, packet.subject.manager_id, packet.author.manager_id
        )
        status = packet.status
        items.append(
            {
                **_common(packet, ladder),
                "progress": progress.get(packet.id, {"required": 0, "done": 0}),
                "actions": _actions(
                    status is PacketStatus.DRAFT and can_edit(user.id, people),
                    status is PacketStatus.SUBMITTED and can_decide(user.id, is_admin, people),
                    _may_withdraw(user, is_admin, status, people),
                ),
                "links": _links(packet.id),
            }
        )
    return items


def _diff_item(item: ResolvedItem) -> dict[str, Any]:
    return {
        "text": item.text,
        "items": list(item.items),
        "origin": item.origin,
        "origin_kind": item.origin_kind,
    }


def _diff_level(level: Level, specialty_id: str | None) -> dict[str, Any]:
    return {
        "id": level.id,
        "title": level.title,
        "grade": level.grade,
        "family": level.family,
        "specialty": specialty_id,
    }


# --- loading --------------------------------------------------------------------------


def _view_or_404(packet_id: int) -> promotions.PacketView:
    view = promotions.load_packet(caller(), packet_id)
    if view is None:
        abort(404)
    return view


def _reloaded(user: User, packet_id: int) -> dict[str, Any]:
    view = promotions.load_packet(user, packet_id)
    assert view is not None
    return packet_json(view, user)


def _as_written(user: User, packet_id: int, result: promotions.SaveResult) -> dict[str, Any]:
    """The packet with the versions, evidence and progress of the caller's own save.

    The packet is read again (for its people, status and links), then what the save wrote
    is put back: each section's version and text, and the packet's version, as of the
    save's own transaction. A section someone saved since keeps the version this save saw,
    so sending it back conflicts instead of overwriting; a submit with the packet version
    answers 409 if anyone changed the packet since, instead of submitting text the caller
    never saw.
    """
    body = _reloaded(user, packet_id)
    body["version"] = result.packet_version
    for section in body["sections"]:
        key = section["key"]
        section["version"] = result.versions.get(key, section["version"])
        if key in result.evidence:
            section["evidence"] = result.evidence[key]
    body["progress"] = {"required": result.required, "done": result.done}
    return body


def _current_version(packet_id: int) -> int | None:
    return db.session.scalar(select(PromotionPacket.version).where(PromotionPacket.id == packet_id))


def _stale(exc: ConflictError, packet_id: int) -> ApiError:
    db.session.rollback()
    return ApiError(409, str(exc), current_version=_current_version(packet_id))


@contextmanager
def _refusals_as_409(packet_id: int) -> Iterator[None]:
    """A stale version or a packet in the wrong state (ConflictError), or any other refusal
    of the service, answers 409 with its message."""
    try:
        yield
    except ConflictError as exc:
        raise _stale(exc, packet_id) from None
    except ServiceError as exc:
        raise ApiError(409, str(exc)) from None


# --- the ladder diff ------------------------------------------------------------------


def _diff_side(ladder: Ladder, which: str, level_id: str, specialty_id: str | None) -> Level:
    try:
        level = get_level(ladder, level_id)
    except UnknownIdError:
        raise ApiError(404, f"The ladder has no level {level_id!r} ('{which}').") from None
    if specialty_id is not None:
        try:
            specialty_for(ladder, level.id, specialty_id)
        except UnknownIdError as exc:
            raise ApiError(404, f"Unknown '{which}_specialty': {exc}.") from None
    return level


@bp.get("/ladder/diff")
@api_login_required
def ladder_diff() -> ResponseReturnValue:
    args = request.args
    problems = Problems()
    for name in ("from", "to"):
        if not (args.get(name) or "").strip():
            problems.add(name, "This parameter is required: a level id.")
    problems.check()
    ladder = get_ladder()
    source_specialty = args.get("from_specialty") or None
    target_specialty = args.get("to_specialty") or None
    source = _diff_side(ladder, "from", args["from"].strip(), source_specialty)
    target = _diff_side(ladder, "to", args["to"].strip(), target_specialty)
    diff = diff_levels(ladder, source.id, target.id, source_specialty, target_specialty)
    body: dict[str, Any] = {
        "from": _diff_level(source, source_specialty),
        "to": _diff_level(target, target_specialty),
        "relation": relation(ladder, source.id, target.id),
        "ladder_version": ladder.version,
    }
    for kind in KINDS:
        changes = diff.of(kind)
        body[kind] = {
            "added": [_diff_item(i) for i in changes.added],
            "kept": [_diff_item(i) for i in changes.kept],
            "dropped": [_diff_item(i) for i in changes.dropped],
        }
    return jsonify(body)


# --- packets --------------------------------------------------------------------------


@bp.get("/promotions")
@api_login_required
def promotion_list() -> ResponseReturnValue:
    user = caller()
    page, per_page = page_args()
    pagination = db.paginate(
        promotions.visible_packets(user), page=page, per_page=per_page, error_out=False
    )
    by_id = {item["id"]: item for item in _summaries(pagination.items, user)}
    return jsonify(paginated(pagination, lambda packet: by_id[packet.id]))


@bp.post("/promotions")
@api_login_required
def promotion_create() -> ResponseReturnValue:
    user = caller()
    values, problems = CREATE.parse()
    problems.check()  # missing fields, a malformed address: nothing about anyone yet
    email: str = values["user_email"]
    target_id: str = values["target_level_id"]
    specialty_id: str | None = values["target_specialty_id"]
    # The manager relation first, and one answer for every refusal of it: an unknown
    # address, someone else's report and a deactivated account that is not the caller's
    # report are told apart by nothing, so the API cannot be used to probe for people.
    subject = get_user_by_email(email)
    if subject is None or not can_start(user.id, subject.id, subject.manager_id):
        raise ApiError(403, NOT_YOUR_REPORT)
    # From here on the caller is the person's manager and may be told about them.
    if not subject.active:
        problems.add("user_email", f"{subject.display_name}'s account is deactivated.")
    ladder = get_ladder()
    if target_id not in ladder.levels_by_id:
        problems.add("target_level_id", f"There is no level {target_id!r} on the ladder.")
    elif specialty_id is not None:
        try:
            specialty_for(ladder, target_id, specialty_id)
        except UnknownIdError as exc:
            problems.add("target_specialty_id", f"{str(exc).capitalize()}.")
    problems.check()
    if not subject.level_id or subject.level_id not in ladder.levels_by_id:
        raise invalid(
            "user_email",
            f"{subject.display_name} has no current level on the ladder; an admin sets it on "
            "their user page.",
        )
    try:
        classify_move(ladder, subject.level_id, target_id)
    except InvalidTargetError as exc:
        raise invalid("target_level_id", str(exc)) from None
    try:
        packet = promotions.start_packet(
            user, subject, target_id, target_specialty_id=specialty_id, channel="api"
        )
    except promotions.OpenPacketExistsError as exc:
        raise ApiError(409, str(exc), existing_id=exc.existing_id) from None
    except ServiceError as exc:
        raise ApiError(409, str(exc)) from None
    packet_id = packet.id
    return created(_reloaded(user, packet_id), url_for("api.promotion_detail", packet_id=packet_id))


@bp.get("/promotions/<int:packet_id>")
@api_login_required
def promotion_detail(packet_id: int) -> ResponseReturnValue:
    return jsonify(packet_json(_view_or_404(packet_id), caller()))


@bp.patch("/promotions/<int:packet_id>")
@api_login_required
def promotion_update(packet_id: int) -> ResponseReturnValue:
    user = caller()
    view = _view_or_404(packet_id)
    if not can_edit(user.id, view.people):
        abort(403, description="Only the packet's author or the person's manager can edit it.")
    values, problems = UPDATE.parse()
    edits: dict[str, tuple[str | None, int]] = values["sections"]
    known = {section.key for section in view.packet.sections}
    for key in edits:
        if key not in known:
            problems.add(key, f"The packet has no section {key!r}.")
    problems.check()
    if view.status is not PacketStatus.DRAFT:
        raise ApiError(
            409,
            f"The packet is {view.status.value}; only a draft can be edited.",
            current_version=view.packet.version,
        )
    try:
        # Reloads and tries again when a save of other sections won the race for the
        # packet row: only the same section edited on top of a stale version conflicts.
        result = promotions.save_sections_of(user, packet_id, edits, channel="api", loaded=view)
    except promotions.SectionConflictError as exc:
        db.session.rollback()
        conflicts = [
            {
                "key": c.key,
                "heading": c.heading,
                "yours": c.yours,
                "theirs": c.theirs,
                "version": c.version,
            }
            for c in exc.conflicts
        ]
        raise ApiError(
            409, str(exc), conflicts=conflicts, current_version=_current_version(packet_id)
        ) from None
    except ConflictError as exc:  # PacketClosedError: submitted or withdrawn meanwhile
        raise _stale(exc, packet_id) from None
    except ServiceError as exc:
        raise ApiError(409, str(exc)) from None
    return jsonify(_as_written(user, packet_id, result))


@bp.post("/promotions/<int:packet_id>/submit")
@api_login_required
def promotion_submit(packet_id: int) -> ResponseReturnValue:
    user = caller()
    view = _view_or_404(packet_id)
    if not can_edit(user.id, view.people):
        abort(403, description="Only the packet's author or the person's manager can submit it.")
    values, problems = SUBMIT.parse()
    problems.check()
    with _refusals_as_409(packet_id):
        try:
            promotions.submit_packet(view, user, expected_version=values["version"], channel="api")
        except IncompletePacketError as exc:
            db.session.rollback()
            for section in exc.missing:
                problems.add(section.key, f"“{section.heading}” needs evidence before submitting.")
            raise ApiError(
                422, f"{exc} See 'fields' (by section key).", fields=dict(problems)
            ) from None
    return jsonify(_reloaded(user, packet_id))


@bp.post("/promotions/<int:packet_id>/decision")
@api_login_required
def promotion_decision(packet_id: int) -> ResponseReturnValue:
    user = caller()
    view = _view_or_404(packet_id)
    if not can_decide(user.id, user.has_role(Role.ADMIN), view.people):
        abort(
            403,
            description="Only the author's own manager or an admin can approve or decline it.",
        )
    values, problems = DECIDE.parse()
    decision: Decision | None = None
    if values["decision"] is not None:
        if values["decision"] in DECISIONS:
            decision = Decision(values["decision"])
        else:
            problems.add("decision", f"Give one of: {', '.join(DECISIONS)}.")
    if decision is Decision.DECLINE and values["comment"] is None:
        problems.add("comment", "Say why the packet is declined: a comment is required.")
    problems.check()
    assert decision is not None
    with _refusals_as_409(packet_id):
        promotions.decide(
            view,
            user,
            decision,
            values["comment"],
            expected_version=values["version"],
            channel="api",
        )
    return jsonify(_reloaded(user, packet_id))


@bp.post("/promotions/<int:packet_id>/withdraw")
@api_login_required
def promotion_withdraw(packet_id: int) -> ResponseReturnValue:
    user = caller()
    view = _view_or_404(packet_id)
    if not can_withdraw(user.id, user.has_role(Role.ADMIN), view.people):
        abort(
            403,
            description="Only the packet's author, the person's manager or an admin can "
            "withdraw it.",
        )
    values, problems = WITHDRAW.parse()
    problems.check()
    with _refusals_as_409(packet_id):
        promotions.withdraw(
            view, user, values["reason"], expected_version=values["version"], channel="api"
        )
    return jsonify(_reloaded(user, packet_id))


@bp.get("/promotions/<int:packet_id>/document.pdf")
@api_login_required
def promotion_document_pdf(packet_id: int) -> ResponseReturnValue:
    """The packet as a PDF (``?paper=a4|letter``); 304 for a current If-None-Match.

    The ETag comes without rendering, so a matching ``If-None-Match`` costs no PDF.
    """
    view = _view_or_404(packet_id)
    paper = (request.args.get("paper") or "a4").lower()
    try:
        etag = promotion_documents.packet_etag(view, paper)
    except UnknownPaper:
        raise ApiError(400, f"'paper' must be one of: {', '.join(PAPERS)}.") from None
    if request.if_none_match.contains_weak(etag):
        response = Response(status=304)
    else:
        pdf = promotion_documents.get_packet_pdf(view, paper)
        assert pdf.data is not None
        etag = pdf.etag
        response = Response(pdf.data, mimetype="application/pdf")
        name = promotion_documents.packet_file_name(view, paper)
        response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
        response.headers["X-Content-Type-Options"] = "nosniff"
    response.set_etag(etag)
    response.headers["Cache-Control"] = PDF_CACHE_CONTROL
    return response


# --- OpenAPI --------------------------------------------------------------------------


def openapi_schemas() -> dict[str, Any]:
    """This module's schemas, for the OpenAPI document's components."""
    import copy

    from app.api.openapi import ID, SCHEMAS, nullable, obj, page_of, ref

    date_time = {"type": "string", "format": "date-time"}
    item = obj(
        {
            "text": {"type": "string"},
            "items": {"type": "array", "items": {"type": "string"}},
            "origin": {"type": "string", "description": "The level, family or specialty id."},
            "origin_kind": {"type": "string", "enum": list(get_args(OriginKind))},
        }
    )
    changes = obj(
        {
            "added": {
                "type": "array",
                "items": ref("DiffItem"),
                "description": "New at 'to'.",
            },
            "kept": {
                "type": "array",
                "items": ref("DiffItem"),
                "description": "At both levels.",
            },
            "dropped": {
                "type": "array",
                "items": ref("DiffItem"),
                "description": "At 'from' only.",
            },
        }
    )
    diff_level = obj(
        {
            "id": {"type": "string"},
            "title": {"type": "string"},
            "grade": nullable("integer"),
            "family": {"type": "string"},
            "specialty": nullable("string"),
        }
    )
    diff = obj(
        {
            "from": ref("DiffLevel"),
            "to": ref("DiffLevel"),
            "relation": {
                "type": "string",
                "enum": list(get_args(Relation)),
            },
            "ladder_version": {"type": "string"},
            **{kind: ref("DiffChanges") for kind in KINDS},
        }
    )
    person = obj({"id": ID, "display_name": {"type": "string"}, "email": {"type": "string"}})
    packet_level = obj(
        {
            "level_id": {"type": "string"},
            "title": nullable("string", description="null if the ladder no longer has it."),
            "grade": nullable("integer"),
            "specialty_id": nullable("string"),
        }
    )
    section = obj(
        {
            "key": {
                "type": "string",
                "description": "Stable for the same text; names the section in PATCH.",
            },
            "kind": {"type": "string", "enum": [k.value for k in SectionKind]},
            "group": {"type": "string", "enum": list(SECTION_GROUPS.values())},
            "heading": {"type": "string"},
            "items": {"type": "array", "items": {"type": "string"}},
            "description": nullable("string"),
            "origin": nullable("string"),
            "required": {
                "type": "boolean",
                "description": "Submitting needs evidence in every required section.",
            },
            "evidence": nullable("string"),
            "version": {
                "type": "integer",
                "description": "Send it back with the section's evidence in PATCH (required). "
                "In a PATCH answer, the version the caller's own save produced.",
            },
        }
    )
    common = {
        "id": ID,
        "version": {
            "type": "integer",
            "description": "Changes with every edit and status change; send it back as "
            "'version' (required) to submit, decide or withdraw.",
        },
        "status": {
            "type": "string",
            "enum": [s.value for s in PacketStatus],
            "description": "draft -> submitted -> approved or declined; an open (draft or "
            "submitted) packet can be withdrawn.",
        },
        "move": obj(
            {
                "value": {"type": "string", "enum": [m.value for m in MoveKind]},
                "label": {"type": "string"},
            }
        ),
        "subject": ref("PacketPerson"),
        "author": ref("PacketPerson"),
        "from": ref("PacketLevel"),
        "to": ref("PacketLevel"),
        "created_at": date_time,
        "updated_at": date_time,
        "submitted_at": nullable("string", format="date-time"),
        "decided_at": nullable("string", format="date-time"),
        "ladder_version": {
            "type": "string",
            "description": "The ladder the sections were copied from.",
        },
        "progress": obj(
            {
                "required": {"type": "integer", "minimum": 0},
                "done": {"type": "integer", "minimum": 0},
            },
            description="Required sections, and those of them with evidence.",
        ),
        "actions": obj(
            {
                "edit": {"type": "boolean"},
                "submit": {"type": "boolean"},
                "decide": {"type": "boolean"},
                "withdraw": {"type": "boolean"},
            },
            description="What the caller may do now.",
        ),
        "links": obj(
            {"self": {"type": "string"}, "document": {"type": "string"}},
        ),
    }
    packet = obj(
        {
            **common,
            "decided_by": {
                "oneOf": [{"type": "null"}, ref("PacketPerson")],
                "description": "Who approved, declined or withdrew the packet.",
            },
            "decision_comment": nullable(
                "string", description="The decision's comment, or the reason for withdrawing."
            ),
            "sections": {"type": "array", "items": ref("PacketSection")},
        }
    )
    error = copy.deepcopy(SCHEMAS["Error"])
    error["properties"]["error"]["properties"].update(
        {
            "existing_id": {
                "type": "integer",
                "description": "POST /promotions: the person's open packet.",
            },
            "current_version": {
                "type": ["integer", "null"],
                "description": "The packet's version now.",
            },
            "conflicts": {
                "type": "array",
                "description": "PATCH: the sections someone else changed meanwhile; nothing "
                "was written. Merge, then send again with 'version' as given here.",
                "items": obj(
                    {
                        "key": {"type": "string"},
                        "heading": {"type": "string"},
                        "yours": {"type": "string"},
                        "theirs": {"type": "string"},
                        "version": {"type": "integer"},
                    }
                ),
            },
        }
    )
    return {
        "DiffItem": item,
        "DiffChanges": changes,
        "DiffLevel": diff_level,
        "LadderDiff": diff,
        "PacketPerson": person,
        "PacketLevel": packet_level,
        "PacketSection": section,
        "PromotionPacket": packet,
        "PromotionPacketSummary": obj(common, description="A packet without its sections."),
        "PromotionPacketPage": page_of("PromotionPacketSummary"),
        "PromotionConflict": error,
    }


def openapi_paths() -> dict[str, Any]:
    """This module's operations, for the OpenAPI document."""
    from app.api.openapi import ID, JSON, PAGE, operation, ref

    def ok(schema: str, description: str = "OK", status: str = "200") -> dict[str, Any]:
        return {status: {"description": description, "content": {JSON: {"schema": ref(schema)}}}}

    def conflict(description: str) -> dict[str, Any]:
        return {
            "409": {
                "description": description,
                "content": {JSON: {"schema": ref("PromotionConflict")}},
            }
        }

    packet_id = {
        "name": "packet_id",
        "in": "path",
        "required": True,
        "schema": ID,
        "description": "A packet the caller may read (any other answers 404).",
    }
    change = ("BadRequest", "Unauthorized", "Forbidden", "NotFound", "Invalid")
    query: list[dict[str, Any]] = [
        {"name": "from", "in": "query", "required": True, "schema": {"type": "string"}},
        {"name": "to", "in": "query", "required": True, "schema": {"type": "string"}},
        {"name": "from_specialty", "in": "query", "schema": {"type": "string"}},
        {"name": "to_specialty", "in": "query", "schema": {"type": "string"}},
    ]
    pdf = {"application/pdf": {"schema": {"type": "string", "format": "binary"}}}
    return {
        "/ladder/diff": {
            "get": operation(
                "getLadderDiff",
                "What changes from one level to another",
                tag="ladder",
                ok={
                    **ok("LadderDiff"),
                    "404": {
                        "description": "An unknown level or specialty; the detail says which.",
                        "content": {JSON: {"schema": ref("Error")}},
                    },
                },
                errors=("Unauthorized", "Invalid"),
                parameters=query,
                description="Any signed-in user. Items are compared by normalised text. A "
                "missing 'from' or 'to' answers 422.",
            )
        },
        "/promotions": {
            "get": operation(
                "listPromotions",
                "Promotion packets the caller may read, latest change first",
                tag="promotions",
                ok=ok("PromotionPacketPage"),
                errors=("Unauthorized", "Invalid"),
                parameters=PAGE,
                description="The person's own packets, those they wrote or manage, those "
                "submitted to them as the author's manager; admins see all.",
            ),
            "post": operation(
                "createPromotion",
                "Start a promotion packet for a direct report",
                tag="promotions",
                ok={
                    **ok("PromotionPacket", "Created: sections from the ladder diff", "201"),
                    **conflict("The person has an open packet ('existing_id')."),
                },
                errors=("BadRequest", "Unauthorized", "Forbidden", "Invalid"),
                body=CREATE,
                description="The person's manager only. The manager relation is checked "
                "first: an unknown address, someone else's report and a deactivated account "
                "that is not the caller's report all answer the same 403, which names nobody. "
                "Only to the manager does a 422 say that the account is deactivated or has no "
                "level; a target that is not a step up answers 422 on target_level_id.",
            ),
        },
        "/promotions/{packet_id}": {
            "get": operation(
                "getPromotion",
                "A promotion packet with its sections",
                tag="promotions",
                ok=ok("PromotionPacket"),
                errors=("Unauthorized", "NotFound"),
                parameters=[packet_id],
                description="The person, the author, the person's manager, admins, and the "
                "author's manager once submitted.",
            ),
            "patch": operation(
                "updatePromotionSections",
                "Write the evidence of some sections of a draft",
                tag="promotions",
                ok={
                    **ok("PromotionPacket"),
                    **conflict(
                        "A section changed meanwhile ('conflicts'), or the packet is no "
                        "longer a draft; nothing was written."
                    ),
                },
                errors=change,
                body=UPDATE,
                parameters=[packet_id],
                description="The author and the person's manager (other readers 403). Every "
                "section names the version its text was written on (required: a missing, null "
                "or non-integer version is a 422). Sections are locked one by one: edits of "
                "different sections never conflict. 422 'fields' are keyed by section key. "
                "The answer carries the section versions and the packet version this save "
                "produced, even when another save has landed since.",
            ),
        },
        "/promotions/{packet_id}/submit": {
            "post": operation(
                "submitPromotion",
                "Submit a draft to the author's manager",
                tag="promotions",
                ok={
                    **ok("PromotionPacket"),
                    **conflict("Not a draft, or the version is stale."),
                },
                errors=change,
                body=SUBMIT,
                parameters=[packet_id],
                description="The author and the person's manager; 'version' is the packet's "
                "(required). Required sections without evidence answer 422 with 'fields' "
                "keyed by section key.",
            )
        },
        "/promotions/{packet_id}/decision": {
            "post": operation(
                "decidePromotion",
                "Approve or decline a submitted packet",
                tag="promotions",
                ok={
                    **ok("PromotionPacket"),
                    **conflict("Not submitted, or the version is stale."),
                },
                errors=change,
                body=DECIDE,
                parameters=[packet_id],
                description="The author's own manager or an admin, never the author, the "
                "person or the person's current manager (other readers 403). 'version' is "
                "required. Declining needs a comment (422).",
            )
        },
        "/promotions/{packet_id}/withdraw": {
            "post": operation(
                "withdrawPromotion",
                "Withdraw an open (draft or submitted) packet",
                tag="promotions",
                ok={
                    **ok("PromotionPacket"),
                    **conflict("Not open (already decided or withdrawn), or the version is stale."),
                },
                errors=change,
                body=WITHDRAW,
                parameters=[packet_id],
                description="The author, the person's manager and admins, never the person "
                "(other readers 403). 'version' is required. A new packet can then be started "
                "for the person.",
            )
        },
        "/promotions/{packet_id}/document.pdf": {
            "get": operation(
                "getPromotionPdf",
                "A promotion packet as a PDF",
                tag="promotions",
                ok={
                    "200": {
                        "description": "The PDF, as an attachment.",
                        "headers": {"ETag": {"schema": {"type": "string"}}},
                        "content": pdf,
                    },
                    "304": {"description": "The caller's copy (If-None-Match) is current."},
                    "400": {
                        "description": "'paper' is neither a4 nor letter.",
                        "content": {JSON: {"schema": ref("Error")}},
                    },
                },
                errors=("Unauthorized", "NotFound"),
                parameters=[
                    packet_id,
                    {
                        "name": "paper",
                        "in": "query",
                        "schema": {"type": "string", "enum": list(PAPERS), "default": "a4"},
                    },
                ],
                description="Whoever may read the packet.",
            )
        },
    }


@bp.record_once
def _document(state: BlueprintSetupState) -> None:
    from app.api.openapi import DOCUMENT

    DOCUMENT["components"]["schemas"].update(openapi_schemas())
    DOCUMENT["paths"].update(openapi_paths())
    if not any(tag["name"] == "promotions" for tag in DOCUMENT["tags"]):
        DOCUMENT["tags"].insert(-1, {"name": "promotions"})
