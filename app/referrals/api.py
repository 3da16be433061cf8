"""JSON API for referrals: any active user refers someone and reads their own referrals'
status (in process, not moving forward, hired), never more of the application."""

from __future__ import annotations

from flask import abort, jsonify, url_for
from flask.typing import ResponseReturnValue

from app.api.auth import api_login_required, caller
from app.api.errors import Problems, refused
from app.api.responses import created, keyset_args
from app.referrals import bodies, queries, represent
from app.routing import Routes
from app.rows import after_commit, row_id
from app.services import audit, referrals
from app.services.errors import ServiceError

routes = Routes()


def _keyset_args() -> tuple[int | None, int]:
    problems = Problems()
    after, per_page = keyset_args(problems)
    problems.check()
    return after, per_page


@routes.get("/referrals")
@api_login_required
def referral_list() -> ResponseReturnValue:
    user = caller()
    after, per_page = _keyset_args()
    page = queries.referrals_of(user.id, after=after, per_page=per_page)
    body = {
        "items": [represent.referral(r) for r in page.items],
        "next": (
            url_for("api.referral_list", after=page.after, per_page=per_page)
            if page.after is not None
            else None
        ),
    }
    if page.items:
        audit.record_read(
            audit.CANDIDATE_LIST,
            actor=user,
            channel="api",
            object_type="referral",
            summary={"application_ids": [r.id for r in page.items]},
        )
    return jsonify(body)


@routes.post("/referrals")
@api_login_required
def referral_create() -> ResponseReturnValue:
    user = caller()
    values, problems = bodies.REFERRAL.parse()
    requisition = None
    if values["requisition_id"] is not None:
        try:
            requisition = referrals.open_requisition(values["requisition_id"])
        except ServiceError as exc:
            problems.add("requisition_id", str(exc))
    problems.check()
    assert requisition is not None
    try:
        application = referrals.refer(
            requisition,
            name=values["name"],
            email=values["email"],
            note=values["note"],
            referrer=user,
            channel="api",
        )
    except referrals.AlreadyConsideredError as exc:
        raise refused(str(exc)) from None
    except referrals.NotOpenError as exc:
        problems.add("requisition_id", str(exc))
        problems.check()
        raise
    except ServiceError as exc:
        raise refused(str(exc)) from None
    application_id, user_id = row_id(application), user.id

    def read_back() -> dict[str, object]:
        row = queries.referral_of(user_id, application_id)
        assert row is not None
        return represent.referral(row)

    return created(
        after_commit(read_back, lambda: {"id": application_id}),
        url_for("api.referral_detail", application_id=application_id),
    )


@routes.get("/referrals/<int:application_id>")
@api_login_required
def referral_detail(application_id: int) -> ResponseReturnValue:
    """One of the caller's referrals; any other application is a 404."""
    user = caller()
    row = queries.referral_of(user.id, application_id)
    if row is None:
        abort(404)
    return jsonify(represent.referral(row))
