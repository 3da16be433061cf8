"""Promotion packets: the list, starting one for a report, the packet page, the decision.

Nobody needs a role for these pages: what a user may do follows from who they manage. A
packet the user may not read answers 404, like a missing one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from flask import (
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

from app.db import db
from app.denials import deny, record_refused
from app.ladder_access import get_ladder
from app.models import PromotionPacket, Role, User
from app.paging import id_arg, newest_first
from app.promotions.forms import DecisionForm, StartForm, WithdrawForm
from app.promotions.queries import awaiting_decision, packet_exists, reports_of, visible_packets
from app.routing import Routes
from app.services import audit, levels, promotions
from app.services.errors import ConflictError, ServiceError
from app.services.promotions import section_counts
from ladder.model import Ladder
from ladder.resolve import UnknownIdError, applicable_specialty
from pipelines.promotions import (
    MOVE_LABELS,
    SECTION_GROUPS,
    Decision,
    IncompletePacketError,
    InvalidTargetError,
    MoveKind,
    build_template,
    can_decide,
    can_edit,
    can_withdraw,
    promotion_targets,
)

routes = Routes()

AWAITING_LIMIT = 50
#: Direct reports listed per page (a manager of many pages through them by name).
REPORTS_PER_PAGE = 25


def _page_size() -> int:
    return int(current_app.config.get("PROMOTIONS_PAGE_SIZE", 20))


def _view_or_404(packet_id: int) -> promotions.PacketView:
    view = promotions.load_packet(current_user, packet_id)
    if view is None:
        if packet_exists(packet_id):
            deny("promotion_packet", packet_id)
        abort(404)
    return view


def _level_label(ladder: Ladder, level_id: str) -> str:
    level = ladder.levels_by_id.get(level_id)
    return level.name if level is not None else level_id


@routes.get("/")
@login_required
def index() -> str:
    # Latest change first by a cursor (?after= / ?before=): one query on
    # ix_promotion_packets_updated, however deep the page.
    page = newest_first(
        visible_packets(current_user),
        moment=PromotionPacket.updated_at,
        row_id=PromotionPacket.id,
        key=lambda row: (row[0].updated_at, row[0].id),
        per_page=_page_size(),
    )
    awaiting = list(db.session.scalars(awaiting_decision(current_user).limit(AWAITING_LIMIT + 1)))
    reports_after = id_arg("reports_after")
    reports, more_reports = reports_of(current_user, after=reports_after, limit=REPORTS_PER_PAGE)
    return render_template(
        "promotions/index.html",
        page=page,
        packets=[row[0] for row in page.items],
        awaiting=awaiting[:AWAITING_LIMIT],
        more_awaiting=len(awaiting) > AWAITING_LIMIT,
        reports=reports,
        more_reports=more_reports,
        reports_after=reports_after,
        ladder=get_ladder(),
        level_label=_level_label,
    )


def _subject_or_404(user_id: int) -> User:
    subject = db.session.get(User, user_id)
    if subject is None:
        abort(404)
    if subject.manager_id != current_user.id or subject.id == current_user.id:
        deny("user", user_id)
    return subject


def _target_rows(ladder: Ladder, subject: User) -> list[dict[str, Any]]:
    """Each target the person could move to, with how many new items it asks for."""
    assert subject.level_id is not None
    source_specialty = applicable_specialty(ladder, subject.level_id, subject.specialty_id)
    rows = []
    for target in promotion_targets(ladder, subject.level_id):
        try:
            template = build_template(
                ladder,
                subject.level_id,
                target.level.id,
                source_specialty,
                applicable_specialty(ladder, target.level.id, source_specialty),
            )
        except (InvalidTargetError, UnknownIdError):
            continue
        new_items = sum(1 for s in template.sections if s.kind.is_ladder_item)
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


@routes.route("/new/<int:user_id>", methods=["GET", "POST"])
@login_required
def new(user_id: int) -> ResponseReturnValue:
    subject = _subject_or_404(user_id)
    ladder = get_ladder()
    level = ladder.levels_by_id.get(subject.level_id) if subject.level_id else None
    form = StartForm()
    rows = _target_rows(ladder, subject) if level is not None else []
    form.target_level_id.choices = [(row["level"].id, row["level"].title) for row in rows]
    existing = promotions.open_packet_id(subject.id)
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


def _pdf_url(packet_id: int) -> str:
    # Served by this feature's API (it takes the browser's session too).
    return url_for("api.promotion_document_pdf", packet_id=packet_id, paper="a4")


def _grouped(view: promotions.PacketView) -> list[tuple[str, list[Any]]]:
    groups: dict[str, list[Any]] = {}
    for section in view.packet.sections:
        groups.setdefault(SECTION_GROUPS[section.kind], []).append(section)
    return list(groups.items())


def _render_packet(
    view: promotions.PacketView,
    *,
    values: dict[str, str] | None = None,
    bases: dict[str, str] | None = None,
    versions: dict[str, int] | None = None,
    conflicts: list[promotions.SectionConflict] | None = None,
    missing: set[str] | None = None,
    unsaved: list[tuple[str, str]] | None = None,
    decision_form: DecisionForm | None = None,
    withdraw_form: WithdrawForm | None = None,
    status: int = 200,
) -> ResponseReturnValue:
    ladder = get_ladder()
    packet = view.packet
    form = decision_form or DecisionForm(version=str(packet.version))
    is_admin = current_user.has_role(Role.ADMIN)
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
        bases=bases or {},
        versions=versions or {},
        unsaved=unsaved or [],
        withdraw_form=withdraw_form or WithdrawForm(version=str(packet.version)),
        may_withdraw=packet.status.is_open and can_withdraw(current_user.id, is_admin, view.people),
        conflicts={c.key: c for c in conflicts or []},
        missing=missing or set(),
        counts=section_counts(packet),
        decision_form=form,
        ladder_changed=packet.ladder_version != ladder.version,
        pdf_url=_pdf_url(packet.id),
    ), status


@routes.get("/<int:packet_id>")
@login_required
def packet(packet_id: int) -> ResponseReturnValue:
    page = _render_packet(_view_or_404(packet_id))
    audit.record_read(
        audit.PACKET_VIEW,
        actor=current_user,
        channel="web",
        object_type="promotion_packet",
        object_id=packet_id,
    )
    return page


_VERSION = re.compile(r"\d{1,9}")


def _version(raw: str | None) -> int:
    """A version number sent by the page; anything else is a bad request."""
    if raw is None or not _VERSION.fullmatch(raw):
        abort(400, description="The form is incomplete: a section version is missing or invalid.")
    return int(raw)


@dataclass
class PostedSections:
    """The packet form as posted: what the editor changed, and what they only saw."""

    edits: dict[str, tuple[str | None, int | None]]
    seen: dict[str, int]
    values: dict[str, str]
    bases: dict[str, str]
    versions: dict[str, int]


def _posted_sections(view: promotions.PacketView) -> PostedSections:
    """Each section's text, the text the page started from (``base-``) and its version.

    A text equal to its base is not an edit: a co-editor's newer text in a section this
    editor never touched is neither a conflict nor overwritten.
    """
    posted = PostedSections({}, {}, {}, {}, {})
    for section in view.packet.sections:
        field = f"evidence-{section.key}"
        if field not in request.form:
            continue
        text = request.form.get(field, "")
        base = request.form.get(f"base-{section.key}")
        version = _version(request.form.get(f"version-{section.key}"))
        posted.values[section.key] = text
        posted.bases[section.key] = base if base is not None else text
        posted.versions[section.key] = version
        if base is not None and text.strip() == base.strip():
            posted.seen[section.key] = version
        else:
            posted.edits[section.key] = (text, version)
    return posted


def _not_editable(view: promotions.PacketView) -> bool:
    """True when the user could edit the packet were it still a draft."""
    return can_edit(current_user.id, view.people) and not view.may_edit


@routes.post("/<int:packet_id>")
@login_required
def save(packet_id: int) -> ResponseReturnValue:
    view = _view_or_404(packet_id)
    if not can_edit(current_user.id, view.people):
        abort(403)
    submit = request.form.get("action") == "submit"
    posted = _posted_sections(view)
    unsaved = [
        (section.heading, posted.edits[section.key][0] or "")
        for section in view.packet.sections
        if section.key in posted.edits
    ]
    try:
        result = promotions.save_sections_of(
            current_user, packet_id, posted.edits, seen=posted.seen, submit=submit, loaded=view
        )
    except promotions.SectionConflictError as exc:
        fresh = _view_or_404(packet_id)
        flash(str(exc), "error")
        # Back to the form: the editor's own text where they changed it, the other text
        # where they did not, and the versions they have now seen.
        for conflict in exc.conflicts:
            posted.versions[conflict.key] = conflict.version
            posted.bases[conflict.key] = conflict.theirs
            if conflict.yours is None:
                posted.values[conflict.key] = conflict.theirs
        return _render_packet(
            fresh,
            values=posted.values,
            bases=posted.bases,
            versions=posted.versions,
            conflicts=exc.conflicts,
            status=409,
        )
    except IncompletePacketError as exc:
        flash(f"Saved, but not submitted: {exc}", "error")
        return _render_packet(
            _view_or_404(packet_id), missing={s.key for s in exc.missing}, status=422
        )
    except promotions.PacketClosedError as exc:
        flash(f"{exc} Your changes were not saved; they are listed below.", "error")
        return _render_packet(_view_or_404(packet_id), unsaved=unsaved, status=409)
    except ConflictError as exc:
        flash(str(exc), "error")
        return _render_packet(
            _view_or_404(packet_id),
            values=posted.values,
            bases=posted.bases,
            versions=posted.versions,
            status=409,
        )
    except ServiceError as exc:
        flash(str(exc), "error")
        return _render_packet(
            view, values=posted.values, bases=posted.bases, versions=posted.versions, status=422
        )
    if result.submitted:
        flash("Packet submitted for approval.", "success")
    else:
        flash("Saved.", "success")
    return redirect(url_for("promotions.packet", packet_id=packet_id))


@routes.post("/<int:packet_id>/sections/<key>")
@login_required
def autosave(packet_id: int, key: str) -> ResponseReturnValue:
    """Save one section as the author types (JSON): 200 with the version this save wrote,
    409 with the other editor's text when the section moved on (or with a message when the
    packet is no longer a draft), 400/422 when the request or the text is refused."""
    view = _view_or_404(packet_id)
    if not can_edit(current_user.id, view.people):
        record_refused(403, "promotion_packet", packet_id)
        return jsonify(error="Only the packet's author or the person's manager can edit it."), 403
    if not any(s.key == key for s in view.packet.sections):
        abort(404)
    if "evidence" not in request.form:
        return jsonify(error="The request has no 'evidence'."), 400
    raw_version = request.form.get("version", "")
    if not _VERSION.fullmatch(raw_version):
        return jsonify(error="The request has no valid 'version'."), 400
    try:
        result = promotions.save_sections_of(
            current_user,
            packet_id,
            {key: (request.form["evidence"], int(raw_version))},
            loaded=view,
        )
    except promotions.SectionConflictError as exc:
        (conflict,) = exc.conflicts
        return jsonify(error=str(exc), theirs=conflict.theirs, version=conflict.version), 409
    except ConflictError as exc:
        return jsonify(error=str(exc), closed=_not_editable(view)), 409
    except ServiceError as exc:
        return jsonify(error=str(exc)), 422
    return jsonify(version=result.versions[key], required=result.required, done=result.done)


def _decision_version(form: DecisionForm | WithdrawForm) -> int | None:
    raw = form.version.data or ""
    return int(raw) if _VERSION.fullmatch(raw) else None


@routes.post("/<int:packet_id>/decision")
@login_required
def decision(packet_id: int) -> ResponseReturnValue:
    view = _view_or_404(packet_id)
    if not can_decide(current_user.id, current_user.has_role(Role.ADMIN), view.people):
        abort(403)
    form = DecisionForm()
    if not form.validate_on_submit():
        return _render_packet(view, decision_form=form, status=422)
    choice = Decision(form.decision.data)
    try:
        promotions.decide(
            view,
            current_user,
            choice,
            form.comment.data,
            expected_version=_decision_version(form),
            # A date typed before choosing "decline" is not an error: it is not used.
            effective_on=form.effective_on.data if choice is Decision.APPROVE else None,
        )
    except ConflictError as exc:
        flash(str(exc), "error")
        return redirect(url_for("promotions.packet", packet_id=packet_id))
    except levels.LevelDateProblem as exc:
        db.session.rollback()
        form.effective_on.errors = [*form.effective_on.errors, str(exc)]
        return _render_packet(_view_or_404(packet_id), decision_form=form, status=422)
    except ServiceError as exc:
        db.session.rollback()
        form.comment.errors = [*form.comment.errors, str(exc)]
        return _render_packet(_view_or_404(packet_id), decision_form=form, status=422)
    if choice is Decision.APPROVE:
        fresh = _view_or_404(packet_id).packet
        when = fresh.effective_on
        assert when is not None
        flash(
            f"Packet approved. {fresh.subject.display_name} is "
            f"{_level_label(get_ladder(), fresh.target_level_id)} from "
            f"{when.day} {when:%B %Y}.",
            "success",
        )
    else:
        flash("Packet declined.", "success")
    return redirect(url_for("promotions.packet", packet_id=packet_id))


@routes.post("/<int:packet_id>/withdraw")
@login_required
def withdraw(packet_id: int) -> ResponseReturnValue:
    view = _view_or_404(packet_id)
    if not can_withdraw(current_user.id, current_user.has_role(Role.ADMIN), view.people):
        abort(403)
    form = WithdrawForm()
    if not form.validate_on_submit():
        return _render_packet(view, withdraw_form=form, status=422)
    try:
        promotions.withdraw(
            view, current_user, form.reason.data, expected_version=_decision_version(form)
        )
    except ConflictError as exc:
        flash(str(exc), "error")
        return redirect(url_for("promotions.packet", packet_id=packet_id))
    except ServiceError as exc:
        form.reason.errors = [*form.reason.errors, str(exc)]
        return _render_packet(view, withdraw_form=form, status=422)
    flash("Packet withdrawn. A new one can be started for this person.", "success")
    return redirect(url_for("promotions.packet", packet_id=packet_id))
