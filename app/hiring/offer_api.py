"""Offers and hires in the API: draft an offer from the hire decision, change its terms,
move it (ask approval, approve, reject, extend, accept, decline, withdraw), mark hired.

Who: anyone who sees the application (staff of its requisition) reads its offers, with
compensation only for the requisition's recruiter and hiring manager and admins (null for
the others); those three write; approving and rejecting are admins'. 404 for an offer the
caller may not see, 403 for a move they may not make, 409 (stale or rule), 422 naming the
field. Reads are audited (``candidate.view``, page "offers").
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import abort, jsonify, request, url_for
from flask.typing import ResponseReturnValue

from app.api.auth import api_login_required, caller
from app.api.bodies import Body
from app.api.errors import ApiError, invalid, refused
from app.api.responses import created
from app.db import db
from app.denials import deny
from app.hiring import queries
from app.hiring.access import application_or_404
from app.hiring.permissions import can_view_requisition
from app.models import Application, Offer, Role, User
from app.offers import bodies, represent
from app.routing import Routes
from app.rows import after_commit, row_id
from app.services import offers as service
from app.services.errors import ConflictError, ServiceError
from pipelines.errors import PipelineError
from pipelines.offers import OfferMove

routes = Routes()


def offer_or_404(offer_id: int, user: User) -> tuple[Offer, Application]:
    """The offer and its application (candidate and requisition loaded), for staff of the
    requisition; 404 (audited) for anyone else."""
    offer = service.offer_by_id(offer_id)
    if offer is None:
        abort(404)
    application = queries.application(offer.application_id)
    assert application is not None
    if not can_view_requisition(user, application.requisition):
        deny("offer", offer_id)
    return offer, application


def offer_json(offer_id: int, user: User) -> dict[str, Any]:
    offer = service.offer_by_id(offer_id)
    assert offer is not None
    application = queries.application(offer.application_id)
    assert application is not None
    history = represent.histories([offer.id])[offer.id]
    return represent.offer(offer, application, application.requisition, user, history)


def _stale(exc: ConflictError, offer_id: int | None) -> ApiError:
    current = None
    if offer_id is not None:
        db.session.rollback()
        found = service.offer_by_id(offer_id)
        current = found.version if found is not None else None
    extra = {"current_version": current} if current is not None else {}
    return ApiError(409, str(exc), conflict="stale", **extra)


def _run(offer_id: int | None, action: Callable[[], object]) -> None:
    try:
        action()
    except service.OfferFieldError as exc:
        raise invalid(exc.field, str(exc)) from None
    except ConflictError as exc:
        raise _stale(exc, offer_id) from None
    except (ServiceError, PipelineError) as exc:
        raise refused(str(exc)) from None


def _sent(body: Body, values: dict[str, Any]) -> dict[str, Any]:
    """The term fields the request named (null included)."""
    data = request.get_json(silent=True) or {}
    return {name: values[name] for name in service.FIELDS if name in data and name in body.names}


@routes.get("/applications/<int:application_id>/offers")
@api_login_required
def application_offers(application_id: int) -> ResponseReturnValue:
    user = caller()
    application = application_or_404(application_id, user)
    offers = service.offers_of(application.id)
    histories = represent.histories([o.id for o in offers])
    body = {
        "items": [
            represent.offer(o, application, application.requisition, user, histories[o.id])
            for o in offers
        ]
    }
    service.audit_read(application, user, [o.id for o in offers], channel="api")
    return jsonify(body)


@routes.post("/applications/<int:application_id>/offers")
@api_login_required
def application_offer_create(application_id: int) -> ResponseReturnValue:
    user = caller()
    application = application_or_404(application_id, user)
    if not service.may_write(user, application.requisition):
        abort(403)
    values, problems = bodies.OFFER.parse()
    problems.check()
    try:
        offer = service.create_offer(
            application,
            actor=user,
            values=_sent(bodies.OFFER, values),
            expected_version=values["version"],
            override_reason=values["override_reason"],
            channel="api",
        )
    except service.OfferFieldError as exc:
        raise invalid(exc.field, str(exc)) from None
    except ConflictError as exc:
        raise ApiError(
            409,
            str(exc),
            conflict="stale",
            current_version=queries.application_version(application_id),
        ) from None
    except (ServiceError, PipelineError) as exc:
        raise refused(str(exc)) from None
    offer_id = row_id(offer)
    return created(
        after_commit(lambda: offer_json(offer_id, user), lambda: {"id": offer_id}),
        url_for("api.offer_detail", offer_id=offer_id),
    )


@routes.get("/offers/<int:offer_id>")
@api_login_required
def offer_detail(offer_id: int) -> ResponseReturnValue:
    user = caller()
    offer, application = offer_or_404(offer_id, user)
    body = offer_json(offer.id, user)
    service.audit_read(application, user, [offer.id], channel="api")
    return jsonify(body)


@routes.patch("/offers/<int:offer_id>")
@api_login_required
def offer_update(offer_id: int) -> ResponseReturnValue:
    user = caller()
    offer, application = offer_or_404(offer_id, user)
    if not service.may_write(user, application.requisition):
        abort(403)
    values, problems = bodies.OFFER_EDIT.parse()
    problems.check()
    _run(
        offer_id,
        lambda: service.update_offer(
            offer,
            actor=user,
            values=_sent(bodies.OFFER_EDIT, values),
            expected_version=values["version"],
            channel="api",
        ),
    )
    return jsonify(after_commit(lambda: offer_json(offer_id, user), lambda: {"id": offer_id}))


#: The moves as they appear in the path, their bodies and the view's name.
MOVES: dict[OfferMove, Body] = {
    OfferMove.ASK_APPROVAL: bodies.OFFER_MOVE,
    OfferMove.APPROVE: bodies.OFFER_MOVE,
    OfferMove.REJECT: bodies.OFFER_MOVE,
    OfferMove.EXTEND: bodies.OFFER_MOVE,
    OfferMove.ACCEPT: bodies.OFFER_ANSWER,
    OfferMove.DECLINE: bodies.OFFER_DECLINE,
    OfferMove.WITHDRAW: bodies.OFFER_ANSWER,
}


def path_of(move: OfferMove) -> str:
    return move.value.replace("_", "-")


def _move(offer_id: int, move: OfferMove) -> ResponseReturnValue:
    user = caller()
    offer, application = offer_or_404(offer_id, user)
    if move in (OfferMove.APPROVE, OfferMove.REJECT):
        allowed = user.has_role(Role.ADMIN)
    else:
        allowed = service.may_write(user, application.requisition)
    if not allowed:
        abort(403)
    body = MOVES[move]
    values, problems = body.parse()
    problems.check()
    _run(
        offer_id,
        lambda: service.move_offer(
            offer,
            move,
            actor=user,
            expected_version=values["version"],
            reason=values.get("reason"),
            note=values.get("note"),
            channel="api",
        ),
    )
    return jsonify(after_commit(lambda: offer_json(offer_id, user), lambda: {"id": offer_id}))


def _register(move: OfferMove) -> None:
    def view(offer_id: int) -> ResponseReturnValue:
        return _move(offer_id, move)

    view.__name__ = f"offer_{move.value}"
    view.__doc__ = f"{move.value.replace('_', ' ').capitalize()} the offer."
    routes.post(f"/offers/<int:offer_id>/{path_of(move)}")(api_login_required(view))


for _each in MOVES:
    _register(_each)


@routes.post("/offers/<int:offer_id>/hire")
@api_login_required
def offer_hire(offer_id: int) -> ResponseReturnValue:
    """Mark the candidate of an accepted offer hired: the account is linked or made."""
    user = caller()
    offer, application = offer_or_404(offer_id, user)
    if not service.may_write(user, application.requisition):
        abort(403)
    values, problems = bodies.HIRE.parse()
    problems.check()
    _run(
        offer_id,
        lambda: service.hire(
            offer,
            actor=user,
            start_date=values["start_date"],
            expected_version=values["version"],
            link_existing=bool(values.get("link_existing")),
            channel="api",
        ),
    )
    return jsonify(after_commit(lambda: offer_json(offer_id, user), lambda: {"id": offer_id}))
