"""Promotion packets: the list, starting one for a report, the packet page, the decision.

Nobody needs a role for these pages: what a user may do follows from who they manage. A
packet the user may not read answers 404, like a missing one.
"""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required
from sqlalchemy import func, select

from app.extensions import db
from app.ladder_access import get_ladder
from app.models import PromotionPacket, User
from app.promotions.forms import DecisionForm, StartForm
from app.services import promotions
from app.services.errors import ConflictError, ServiceError
from ladder.model import Ladder
from ladder.resolve import UnknownIdError
from pipelines.promotions import (
    MOVE_LABELS,
    SECTION_GROUPS,
    Decision,
    IncompletePacketError,
    InvalidTargetError,
    MoveKind,
    build_template,
    promotion_targets,
    target_specialty,
)

bp = Blueprint("promotions", __name__)

AWAITING_LIMIT = 50


def _page_size() -> int:
    return int(current_app.config.get("PROMOTIONS_PAGE_SIZE", 20))


def _view_or_404(packet_id: int) -> promotions.PacketView:
    view = promotions.load_packet(current_user, packet_id)
    if view is None:
        abort(404)
    return view


def _level_label(ladder: Ladder, level_id: str) -> str:
    level = ladder.levels_by_id.get(level_id)
    return level.name if level is not None else level_id


@bp.get("/")
@login_required
def index() -> str:
    page = db.paginate(
        promotions.visible_packets(current_user), per_page=_page_size(), max_per_page=100
    )
    awaiting = list(
        db.session.scalars(promotions.awaiting_decision(current_user).limit(AWAITING_LIMIT + 1))
    )
    reports = promotions.reports_of(current_user)
    return render_template(
        "promotions/index.html",
        page=page,
        awaiting=awaiting[:AWAITING_LIMIT],
        more_awaiting=len(awaiting) > AWAITING_LIMIT,
        reports=reports,
        ladder=get_ladder(),
        level_label=_level_label,
    )


def _subject_or_404(user_id: int) -> User:
    subject = db.session.get(User, user_id)
    if subject is None or subject.manager_id != current_user.id or subject.id == current_user.id:
        abort(404)
    return subject


def _target_rows(ladder: Ladder, subject: User) -> list[dict[str, Any]]:
    """Each target the person could move to, with how many new items it asks for."""
    assert subject.level_id is not None
    source_specialty = target_specialty(ladder, subject.level_id, subject.specialty_id)
    rows = []
    for target in promotion_targets(ladder, subject.level_id):
        try:
            template = build_template(
                ladder,
                subject.level_id,
                target.level.id,
                source_specialty,
                target_specialty(ladder, target.level.id, source_specialty),
            )
        except (InvalidTargetError, UnknownIdError):
            continue
        new_items = sum(
            1
            for s in template.sections
            if s.kind.value != "competency" and s.key != "justification"
        )
        rows.append(
            {
                "level": target.level,
                "family": ladder.family(target.level.family),
                "move": target.move,
                "new_items": new_items,
                "kept": template.kept,
            }
        )
    return rows


@bp.route("/new/<int:user_id>", methods=["GET", "POST"])
@login_required
def new(user_id: int) -> ResponseReturnValue:
    subject = _subject_or_404(user_id)
    ladder = get_ladder()
    level = ladder.levels_by_id.get(subject.level_id) if subject.level_id else None
    form = StartForm()
    rows = _target_rows(ladder, subject) if level is not None else []
    form.target_level_id.choices = [(row["level"].id, row["level"].title) for row in rows]
    existing = db.session.scalar(
        select(func.min(PromotionPacket.id)).where(
            PromotionPacket.subject_id == subject.id,
            PromotionPacket.status.in_(["draft", "submitted"]),
        )
    )
    status = 200
    if request.method == "POST" and level is not None:
        if form.validate_on_submit():
            try:
                packet = promotions.start_packet(current_user, subject, form.target_level_id.data)
            except promotions.OpenPacketExistsError as exc:
                flash(str(exc), "error")
                return redirect(url_for("promotions.packet", packet_id=exc.existing_id))
            except ServiceError as exc:
                form.target_level_id.errors = [str(exc)]
                status = 422
            else:
                flash(
                    "Packet started. Write the evidence for each section; it is saved as you go.",
                    "success",
                )
                return redirect(url_for("promotions.packet", packet_id=packet.id))
        else:
            status = 422
    elif request.method == "POST":
        status = 422
    groups: dict[MoveKind, list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault(row["move"], []).append(row)
    return render_template(
        "promotions/new.html",
        form=form,
        subject=subject,
        level=level,
        ladder=ladder,
        groups=groups,
        move_labels=MOVE_LABELS,
        existing=existing,
    ), status


def _pdf_url(packet_id: int) -> str | None:
    # The packet's PDF is served by the API blueprint (session sign-in works there too).
    if "api.promotion_document_pdf" not in current_app.view_functions:
        return None
    return url_for("api.promotion_document_pdf", packet_id=packet_id, paper="a4")


def _grouped(view: promotions.PacketView) -> list[tuple[str, list[Any]]]:
    groups: dict[str, list[Any]] = {}
    for section in view.packet.sections:
        groups.setdefault(SECTION_GROUPS[section.section_kind], []).append(section)
    return list(groups.items())


def _render_packet(
    view: promotions.PacketView,
    *,
    values: dict[str, str] | None = None,
    versions: dict[str, int] | None = None,
    conflicts: list[promotions.SectionConflict] | None = None,
    missing: set[str] | None = None,
    decision_form: DecisionForm | None = None,
    status: int = 200,
) -> ResponseReturnValue:
    ladder = get_ladder()
    packet = view.packet
    form = decision_form or DecisionForm(version=str(packet.version))
    return render_template(
        "promotions/packet.html",
        view=view,
        packet=packet,
        ladder=ladder,
        source=ladder.levels_by_id.get(packet.source_level_id),
        target=ladder.levels_by_id.get(packet.target_level_id),
        level_label=_level_label,
        groups=_grouped(view),
        values=values or {},
        versions=versions or {},
        conflicts={c.key: c for c in conflicts or []},
        missing=missing or set(),
        counts=promotions.section_counts(packet),
        decision_form=form,
        ladder_changed=packet.ladder_version != ladder.version,
        pdf_url=_pdf_url(packet.id),
    ), status


@bp.get("/<int:packet_id>")
@login_required
def packet(packet_id: int) -> ResponseReturnValue:
    return _render_packet(_view_or_404(packet_id))


def _edits_from_form(view: promotions.PacketView) -> dict[str, tuple[str | None, int | None]]:
    edits: dict[str, tuple[str | None, int | None]] = {}
    for section in view.packet.sections:
        field = f"evidence-{section.key}"
        if field not in request.form:
            continue
        raw_version = request.form.get(f"version-{section.key}", "")
        version = int(raw_version) if raw_version.isdigit() else None
        edits[section.key] = (request.form.get(field, ""), version)
    return edits


@bp.post("/<int:packet_id>")
@login_required
def save(packet_id: int) -> ResponseReturnValue:
    view = _view_or_404(packet_id)
    if not view.may_edit:
        abort(403)
    submit = request.form.get("action") == "submit"
    edits = _edits_from_form(view)
    values = {key: text or "" for key, (text, _v) in edits.items()}
    versions = {key: v for key, (_t, v) in edits.items() if v is not None}
    try:
        promotions.save_sections_of(current_user, packet_id, edits, require_current=submit)
    except promotions.SectionConflictError as exc:
        db.session.rollback()
        fresh = _view_or_404(packet_id)
        flash(str(exc), "error")
        # The form goes back with the user's text, and the versions they have now seen.
        for conflict in exc.conflicts:
            versions[conflict.key] = conflict.version
        return _render_packet(
            fresh, values=values, versions=versions, conflicts=exc.conflicts, status=409
        )
    except ConflictError as exc:
        flash(str(exc), "error")
        return redirect(url_for("promotions.packet", packet_id=packet_id))
    except ServiceError as exc:
        flash(str(exc), "error")
        return _render_packet(view, values=values, versions=versions, status=422)
    if not submit:
        flash("Saved.", "success")
        return redirect(url_for("promotions.packet", packet_id=packet_id))
    fresh = _view_or_404(packet_id)
    try:
        promotions.submit_packet(fresh, current_user, expected_version=fresh.packet.version)
    except IncompletePacketError as exc:
        flash(f"Saved, but not submitted: {exc}", "error")
        return _render_packet(fresh, missing={s.key for s in exc.missing}, status=422)
    except ServiceError as exc:
        flash(str(exc), "error")
        return redirect(url_for("promotions.packet", packet_id=packet_id))
    flash("Packet submitted for approval.", "success")
    return redirect(url_for("promotions.packet", packet_id=packet_id))


@bp.post("/<int:packet_id>/sections/<key>")
@login_required
def autosave(packet_id: int, key: str) -> ResponseReturnValue:
    """Save one section as the author types (JSON): 200 with the new version, 409 with the
    other editor's text when the section moved on, 422 when the text is refused."""
    view = _view_or_404(packet_id)
    if not view.may_edit:
        abort(403)
    section = next((s for s in view.packet.sections if s.key == key), None)
    if section is None:
        abort(404)
    raw_version = request.form.get("version", "")
    version = int(raw_version) if raw_version.isdigit() else None
    try:
        promotions.save_sections_of(
            current_user, packet_id, {key: (request.form.get("evidence", ""), version)}
        )
    except promotions.SectionConflictError as exc:
        (conflict,) = exc.conflicts
        return jsonify(error=str(exc), theirs=conflict.theirs, version=conflict.version), 409
    except ConflictError as exc:
        return jsonify(error=str(exc)), 409
    except ServiceError as exc:
        return jsonify(error=str(exc)), 422
    fresh = _view_or_404(packet_id)
    saved = next(s for s in fresh.packet.sections if s.key == key)
    counts = promotions.section_counts(fresh.packet)
    return jsonify(version=saved.version, required=counts["required"], done=counts["done"])


@bp.post("/<int:packet_id>/decision")
@login_required
def decision(packet_id: int) -> ResponseReturnValue:
    view = _view_or_404(packet_id)
    if not view.may_decide:
        abort(403)
    form = DecisionForm()
    if not form.validate_on_submit():
        return _render_packet(view, decision_form=form, status=422)
    choice = Decision(form.decision.data)
    version = form.version.data or ""
    try:
        promotions.decide(
            view,
            current_user,
            choice,
            form.comment.data,
            expected_version=int(version) if version.isdigit() else None,
        )
    except ConflictError as exc:
        flash(str(exc), "error")
        return redirect(url_for("promotions.packet", packet_id=packet_id))
    except ServiceError as exc:
        form.comment.errors = [*form.comment.errors, str(exc)]
        return _render_packet(view, decision_form=form, status=422)
    flash(
        "Packet approved." if choice is Decision.APPROVE else "Packet declined.",
        "success",
    )
    return redirect(url_for("promotions.packet", packet_id=packet_id))
