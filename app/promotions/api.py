"""JSON API for promotion packets.

A packet the caller may not read answers 404, whether or not it exists; one they may read
but not change answers 403 to the change. Bodies are checked before the packet's state:
400 for a body of the wrong shape, 422 for values that are not valid (per section key for
evidence), then 409 when the packet's status or a newer version refuses the change. Every
change goes through :mod:`app.services.promotions` with ``channel="api"``, so it is audited.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import abort, jsonify, request, url_for
from flask.typing import ResponseReturnValue

from app.api.auth import api_login_required, caller
from app.api.errors import ApiError, Problems, invalid, refused, stale_version
from app.api.responses import created, cursor_args, next_page
from app.db import db
from app.denials import deny, record_refused
from app.ladder_access import get_ladder
from app.models import PromotionPacket, Role, User
from app.paging import rows_after
from app.pdf import PAPERS, UnknownPaper, pdf_download
from app.promotions import documents, represent
from app.promotions.bodies import CREATE, DECIDE, DECISIONS, SUBMIT, UPDATE, WITHDRAW
from app.promotions.queries import packet_exists, packet_rows, packet_version
from app.rate_limits import expensive
from app.routing import Routes
from app.rows import after_commit, row_id
from app.services import audit, levels, promotions
from app.services.accounts import get_user_by_email
from app.services.errors import ConflictError, ServiceError
from ladder.resolve import UnknownIdError, specialty_for
from pipelines.promotions import (
    Decision,
    IncompletePacketError,
    InvalidTargetError,
    PacketStatus,
    can_decide,
    can_edit,
    can_start,
    can_withdraw,
    classify_move,
)

routes = Routes()

#: The PDF holds personal data: no cache keeps it, the browser's included. (Its ETag still
#: answers a client that kept a copy on purpose with 304.)
PDF_CACHE_CONTROL = "no-store"
#: The one answer to starting a packet for anyone but one's own report: it does not tell
#: whether the address exists, whether the account is deactivated, nor whose it is.
NOT_YOUR_REPORT = "You can start a promotion packet only for one of your own reports."


def _view_or_404(packet_id: int) -> promotions.PacketView:
    view = promotions.load_packet(caller(), packet_id)
    if view is None:
        if packet_exists(packet_id):
            deny("promotion_packet", packet_id)
        abort(404)
    return view


def _reloaded(user: User, packet_id: int) -> dict[str, Any]:
    view = promotions.load_packet(user, packet_id)
    assert view is not None
    return represent.packet_detail(view, user)


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


def _stale(exc: ConflictError, packet_id: int) -> ApiError:
    """A stale version: 'Changed meanwhile'. A packet whose state does not allow the action
    (a draft's edit once submitted, a decision once decided) is the rules' refusal: 'Not
    possible now', whether or not it changed since the caller read it."""
    db.session.rollback()
    current = packet_version(packet_id)
    if isinstance(exc, promotions.PacketClosedError):
        return refused(str(exc), current_version=current)
    return stale_version(str(exc), current_version=current)


@contextmanager
def _refusals_as_409(packet_id: int) -> Iterator[None]:
    """A stale version or a packet in the wrong state (ConflictError), or any other refusal
    of the service, answers 409 with its message."""
    try:
        yield
    except ConflictError as exc:
        raise _stale(exc, packet_id) from None
    except ServiceError as exc:
        raise refused(str(exc)) from None


@routes.get("/promotions")
@api_login_required
def promotion_list() -> ResponseReturnValue:
    """Latest change first by (updated_at, id), ``?after=`` the cursor in ``next``: the
    packets, their people and their progress in one query (on
    ix_promotion_packets_updated, the sections counted for the page's rows only), however
    deep the page."""
    user = caller()
    problems = Problems()
    after, per_page = cursor_args(problems)
    problems.check()
    rows, more = rows_after(
        packet_rows(user),
        moment=PromotionPacket.updated_at,
        row_id=PromotionPacket.id,
        after=after,
        per_page=per_page,
    )
    last = (rows[-1][0].updated_at, rows[-1][0].id) if more else None
    return jsonify(
        items=represent.packet_summaries(rows, user),
        per_page=per_page,
        next=next_page("api.promotion_list", last),
    )


@routes.post("/promotions")
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
        if subject is not None:
            record_refused(403, "user", subject.id)
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
        raise refused(str(exc), existing_id=exc.existing_id) from None
    except ServiceError as exc:
        raise refused(str(exc)) from None
    packet_id = row_id(packet)
    return created(
        after_commit(lambda: _reloaded(user, packet_id), lambda: {"id": packet_id}),
        url_for("api.promotion_detail", packet_id=packet_id),
    )


@routes.get("/promotions/<int:packet_id>")
@api_login_required
def promotion_detail(packet_id: int) -> ResponseReturnValue:
    user = caller()
    body = represent.packet_detail(_view_or_404(packet_id), user)
    audit.record_read(
        audit.PACKET_VIEW,
        actor=user,
        channel="api",
        object_type="promotion_packet",
        object_id=packet_id,
    )
    return jsonify(body)


@routes.patch("/promotions/<int:packet_id>")
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
        raise refused(
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
        raise stale_version(
            str(exc), conflicts=conflicts, current_version=packet_version(packet_id)
        ) from None
    except ConflictError as exc:  # or PacketClosedError: submitted or withdrawn
        raise _stale(exc, packet_id) from None
    except ServiceError as exc:
        raise refused(str(exc)) from None
    return jsonify(_as_written(user, packet_id, result))


@routes.post("/promotions/<int:packet_id>/submit")
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


@routes.post("/promotions/<int:packet_id>/decision")
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
    if decision is Decision.DECLINE and values["effective_on"] is not None:
        problems.add("effective_on", "Only an approval takes an effective date.")
    problems.check()
    assert decision is not None
    if decision is Decision.APPROVE and view.status is PacketStatus.SUBMITTED:
        # The date is a body problem (422), checked before the packet's version (409).
        try:
            effective_on = promotions.effective_date(view.packet, user, values["effective_on"])
        except levels.LevelDateProblem as exc:
            raise invalid("effective_on", str(exc)) from None
    else:
        effective_on = values["effective_on"]
    with _refusals_as_409(packet_id):
        try:
            promotions.decide(
                view,
                user,
                decision,
                values["comment"],
                expected_version=values["version"],
                channel="api",
                effective_on=effective_on,
            )
        except levels.LevelDateProblem as exc:
            db.session.rollback()
            raise invalid("effective_on", str(exc)) from None
    return jsonify(_reloaded(user, packet_id))


@routes.post("/promotions/<int:packet_id>/withdraw")
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


@routes.get("/promotions/<int:packet_id>/document.pdf")
@expensive
@api_login_required
def promotion_document_pdf(packet_id: int) -> ResponseReturnValue:
    """The packet as a PDF (``?paper=a4|letter``); 304 for a current If-None-Match.

    The ETag comes without rendering, so a matching ``If-None-Match`` costs no PDF.
    """
    view = _view_or_404(packet_id)
    paper = (request.args.get("paper") or "a4").lower()
    # Dates in the reader's zone: the ETag differs per zone, as the document does.
    zone = caller().timezone
    try:
        etag = documents.packet_etag(view, paper, zone)
    except UnknownPaper:
        raise ApiError(400, f"'paper' must be one of: {', '.join(PAPERS)}.") from None
    response = pdf_download(
        etag,
        lambda: documents.get_packet_pdf(view, paper, zone).data,
        documents.packet_file_name(view, paper),
        PDF_CACHE_CONTROL,
    )
    if response.status_code == 200:  # a 304 sends nothing new
        audit.record_read(
            audit.PACKET_PDF,
            actor=caller(),
            channel="api",
            object_type="promotion_packet",
            object_id=packet_id,
            summary={"paper": paper},
        )
    return response
