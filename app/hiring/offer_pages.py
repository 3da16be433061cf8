"""Offers and hires: terms, approval, the candidate's answer, and the new member's account.

Pages: the offer form (draft, and change in draft), the offer's page (status, terms, the
history of its moves, a button for each move the status allows and the viewer may make),
the hire (start date, account), and the admins' list of offers awaiting approval. The
application page shows a short offer section (:func:`section`).

Who: staff of the requisition see its offers; compensation only for the requisition's
recruiter and hiring manager and admins, who also write them (others 403); approving and
rejecting are admins'. An offer of a requisition the user may not see is a 404.
"""

from __future__ import annotations

from typing import Any

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from werkzeug.wrappers import Response

from app.accounts.permissions import roles_required
from app.db import db
from app.denials import deny
from app.hiring import queries
from app.hiring.access import application_or_404
from app.hiring.permissions import STAFF, can_view_requisition
from app.ladder_access import get_ladder
from app.models import Application, Offer, Role, User
from app.offers import represent
from app.offers.forms import HireForm, OfferForm, OfferMoveForm
from app.routing import Routes
from app.services import accounts, hiring
from app.services import offers as service
from app.services.decisions import decision_of, may_decide
from app.services.errors import ConflictError, ServiceError
from pipelines.applications import ApplicationStatus
from pipelines.errors import PipelineError
from pipelines.leveling import Outcome, level_options
from pipelines.offers import ApprovalPolicy, OfferMove, OfferStatus
from pipelines.plan import StageKind

routes = Routes()

#: The most offers the admins' approval list shows at once (oldest first).
APPROVALS_SHOWN = 100

MOVE_LABELS = {
    OfferMove.ASK_APPROVAL: "Ask an admin's approval",
    OfferMove.APPROVE: "Approve",
    OfferMove.REJECT: "Reject (back to draft)",
    OfferMove.EXTEND: "Extend to the candidate",
    OfferMove.ACCEPT: "The candidate accepted",
    OfferMove.DECLINE: "The candidate declined…",
    OfferMove.WITHDRAW: "Withdraw the offer…",
}


def _offer_or_404(offer_id: int) -> tuple[Offer, Application]:
    offer = service.offer_by_id(offer_id)
    if offer is None:
        abort(404)
    application = queries.application(offer.application_id)
    assert application is not None
    if not can_view_requisition(current_user, application.requisition):
        deny("offer", offer_id)
    return offer, application


def _at_references(application: Application) -> bool:
    plan = hiring.plan_for(application.requisition)
    return (
        application.status is ApplicationStatus.ACTIVE
        and application.stage_id in plan.stage_ids
        and plan.stage(application.stage_id).kind is StageKind.REFERENCES
    )


def _hire_decided(application: Application) -> bool:
    decision = decision_of(application.id)
    return decision is not None and decision.outcome is Outcome.HIRE


def section(application: Application, user: Any) -> dict[str, Any]:
    """What the application page's offer section shows: the offers (newest first), and
    whether the form to draft one is offered: to a writer, once the hire decision is
    recorded, with no open offer, the application at the reference check (or at "offer"
    after a withdrawn offer). Three queries at most."""
    offers = service.offers_of(application.id)
    writer = service.may_write(user, application.requisition)
    place = _at_references(application) or application.status is ApplicationStatus.OFFER
    open_offer = any(o.status.is_open for o in offers)
    decided = writer and place and not open_offer and _hire_decided(application)
    return {
        "offers": offers,
        "may_draft": decided,
        "needs_decision": writer and place and not open_offer and not decided,
        "sees_compensation": service.sees_compensation(user, application.requisition),
        "levels": get_ladder().levels_by_id,
    }


# --- the form --------------------------------------------------------------------------


def _fill_choices(form: OfferForm, application: Application) -> None:
    ladder = get_ladder()
    requisition = application.requisition
    form.level_id.choices = [
        (option.level.id, f"{option.level.title} ({option.step.label})")
        for option in level_options(ladder, requisition.level_id)
    ]
    level = ladder.levels_by_id.get(requisition.level_id)
    specialties = ladder.family(level.family).specialties if level else ()
    form.specialty_id.choices = [("", "None"), *((s.id, s.title) for s in specialties)]


def _values(form: OfferForm) -> dict[str, Any]:
    return {
        "level_id": form.level_id.data or None,
        "specialty_id": form.specialty_id.data or None,
        "start_date": form.start_date.data,
        "location": form.location.data,
        "needs_approval": bool(form.needs_approval.data),
        "currency": form.currency.data,
        "base_salary": form.base_salary.data,
        "bonus": form.bonus.data,
        "equity": form.equity.data,
        "compensation_note": form.compensation_note.data,
    }


def _form_page(
    form: OfferForm, application: Application, offer: Offer | None, status: int = 200
) -> ResponseReturnValue:
    html = render_template(
        "hiring/offer_form.html",
        form=form,
        application=application,
        candidate=application.candidate,
        requisition=application.requisition,
        offer=offer,
        always=current_app.config.get("OFFER_APPROVAL") == ApprovalPolicy.ALWAYS,
        may_relevel=may_decide(current_user, application.requisition),
        is_hiring_manager=current_user.id == application.requisition.hiring_manager_id,
    )
    return html, status


def _field_error(form: OfferForm, exc: service.OfferFieldError) -> None:
    target = getattr(form, exc.field, None) or form.level_id
    target.errors = [*target.errors, str(exc)]


@routes.route("/applications/<int:application_id>/offers/new", methods=["GET", "POST"])
@roles_required(*STAFF)
def offer_new(application_id: int) -> ResponseReturnValue:
    application = application_or_404(application_id, current_user)
    if not service.may_write(current_user, application.requisition):
        abort(403)
    form = OfferForm()
    _fill_choices(form, application)
    if request.method == "GET":
        decision = decision_of(application.id)
        if decision is not None and decision.level_id:
            form.level_id.data = decision.level_id
            form.specialty_id.data = decision.specialty_id or ""
        form.version.data = str(application.version)
        return _form_page(form, application, None)
    if not form.validate_on_submit():
        return _form_page(form, application, None, 422)
    try:
        offer = service.create_offer(
            application,
            actor=current_user,
            values=_values(form),
            expected_version=int(form.version.data or 0),
            override_reason=form.override_reason.data or None,
        )
    except service.OfferFieldError as exc:
        _field_error(form, exc)
        return _form_page(form, application, None, 422)
    except ConflictError as exc:
        flash(str(exc), "error")
        application = application_or_404(application_id, current_user)
        form.version.data = str(application.version)
        return _form_page(form, application, None, 409)
    except (ServiceError, PipelineError) as exc:
        flash(str(exc), "error")
        return _form_page(form, application, None, 409)
    flash("Offer drafted.", "success")
    return redirect(url_for("hiring.offer", offer_id=offer.id))


@routes.route("/offers/<int:offer_id>/edit", methods=["GET", "POST"])
@roles_required(*STAFF)
def offer_edit(offer_id: int) -> ResponseReturnValue:
    offer, application = _offer_or_404(offer_id)
    if not service.may_write(current_user, application.requisition):
        abort(403)
    form = OfferForm(obj=offer if request.method == "GET" else None)
    _fill_choices(form, application)
    if request.method == "GET":
        form.specialty_id.data = offer.specialty_id or ""
        form.version.data = str(offer.version)
        page = _form_page(form, application, offer)
        # The form shows the compensation: the read is audited once the page is built.
        service.audit_read(application, current_user, [offer.id], channel="web")
        return page
    if not form.validate_on_submit():
        return _form_page(form, application, offer, 422)
    try:
        service.update_offer(
            offer,
            actor=current_user,
            values=_values(form),
            expected_version=int(form.version.data or 0),
        )
    except service.OfferFieldError as exc:
        _field_error(form, exc)
        return _form_page(form, application, offer, 422)
    except (ServiceError, PipelineError) as exc:
        flash(str(exc), "error")
        return _form_page(form, application, offer, 409)
    flash("Offer saved.", "success")
    return redirect(url_for("hiring.offer", offer_id=offer_id))


# --- the offer's page and its moves ----------------------------------------------------


@routes.get("/offers/<int:offer_id>")
@roles_required(*STAFF)
def offer(offer_id: int) -> str:
    offer, application = _offer_or_404(offer_id)
    requisition = application.requisition
    history = represent.histories([offer.id])[offer.id]
    hired = None
    if application.hired_user_id is not None:
        hired = db.session.get(User, application.hired_user_id)
    html = render_template(
        "hiring/offer.html",
        offer=offer,
        application=application,
        candidate=application.candidate,
        requisition=requisition,
        level=get_ladder().levels_by_id.get(offer.level_id),
        sees_compensation=service.sees_compensation(current_user, requisition),
        may_write=service.may_write(current_user, requisition),
        moves=represent.moves(offer, requisition, current_user),
        may_hire=represent.may_hire(offer, application, requisition, current_user),
        move_labels=MOVE_LABELS,
        OfferMove=OfferMove,
        OfferStatus=OfferStatus,
        history=history,
        hired=hired,
        move_form=OfferMoveForm(version=str(offer.version)),
    )
    service.audit_read(application, current_user, [offer.id], channel="web")
    return html


@routes.post("/offers/<int:offer_id>/move")
@roles_required(*STAFF)
def offer_move(offer_id: int) -> Response:
    offer, application = _offer_or_404(offer_id)
    form = OfferMoveForm()
    target = url_for("hiring.offer", offer_id=offer_id)
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for error in errors:
                flash(error, "error")
        return redirect(target)
    move = OfferMove(form.move.data)
    if move in (OfferMove.APPROVE, OfferMove.REJECT):
        allowed = current_user.has_role(Role.ADMIN)
    else:
        allowed = service.may_write(current_user, application.requisition)
    if not allowed:
        abort(403)
    try:
        service.move_offer(
            offer,
            move,
            actor=current_user,
            expected_version=int(form.version.data or 0),
            reason=form.reason.data or None,
            note=form.note.data,
        )
    except (ServiceError, PipelineError) as exc:
        flash(str(exc), "error")
    else:
        flash(f"Offer {offer.status.label}.", "success")
    return redirect(target)


@routes.route("/offers/<int:offer_id>/hire", methods=["GET", "POST"])
@roles_required(*STAFF)
def offer_hire(offer_id: int) -> ResponseReturnValue:
    offer, application = _offer_or_404(offer_id)
    requisition = application.requisition
    if not service.may_write(current_user, requisition):
        abort(403)
    form = HireForm()
    if request.method == "GET":
        form.start_date.data = offer.start_date
        form.version.data = str(offer.version)
    elif form.validate_on_submit():
        name = application.candidate.name
        try:
            user = service.hire(
                offer,
                actor=current_user,
                start_date=form.start_date.data,
                expected_version=int(form.version.data or 0),
                link_existing=bool(form.link_existing.data),
            )
        except service.OfferFieldError as exc:
            target = form.link_existing if exc.field == "link_existing" else form.start_date
            target.errors = [*target.errors, str(exc)]
        except (ServiceError, PipelineError) as exc:
            flash(str(exc), "error")
            if isinstance(exc, ConflictError):
                return redirect(url_for("hiring.offer", offer_id=offer_id))
        else:
            flash(f"{name} hired; their account is {user.email}.", "success")
            return redirect(url_for("hiring.offer", offer_id=offer_id))
    existing = None
    candidate = application.candidate
    if candidate.email:
        existing = accounts.get_user_by_email(candidate.email)
    html = render_template(
        "hiring/offer_hire.html",
        form=form,
        offer=offer,
        application=application,
        candidate=candidate,
        requisition=requisition,
        level=get_ladder().levels_by_id.get(offer.level_id),
        existing=existing,
    )
    service.audit_read(application, current_user, [offer.id], channel="web")
    status = 200 if request.method == "GET" or not form.errors else 422
    return html, status


@routes.get("/offers/approvals")
@roles_required(Role.ADMIN)
def offer_approvals() -> str:
    """Offers waiting for an admin's approval, oldest first (at most APPROVALS_SHOWN; two
    queries whatever their number)."""
    rows = service.awaiting_approval(APPROVALS_SHOWN)
    return render_template(
        "hiring/offer_approvals.html",
        rows=rows,
        total=service.count_awaiting_approval(),
        shown=APPROVALS_SHOWN,
        levels=get_ladder().levels_by_id,
    )
