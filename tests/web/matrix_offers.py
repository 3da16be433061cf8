"""Permissions matrix entries for offers and hires, pages and API (see test_permissions.py).

The fixture's requisition: recruiter ``recruiter``, hiring manager ``hiring_manager``; an
offer (a draft) is made on its application for these entries. Staff of the requisition
see the offer; its recruiter and hiring manager and admins write it (a requisition's other
recruiters would get 403); approving is admins'. Anyone else: 404 (API) or 403 (pages
closed to their role). Bodies and forms are empty: a role that may call gets 400 (API) or
422 / a redirect with the form's errors (pages).
"""

from __future__ import annotations

from sqlalchemy import select

from app.db import db
from app.models import Offer
from tests.web.test_permissions import expect

STAFF_API = {"admin": 400, "recruiter": 400, "hiring_manager": 400, "default": 404}
ADMIN_API = {"admin": 400, "recruiter": 403, "hiring_manager": 403, "default": 404}
READ_API = {"admin": 200, "recruiter": 200, "hiring_manager": 200, "default": 404}
PAGE = {"admin": 200, "recruiter": 200, "hiring_manager": 200, "default": 403}
FORM = {"admin": 422, "recruiter": 422, "hiring_manager": 422, "default": 403}


def offer_id(f) -> int:
    """A draft offer on the fixture's application (made once per test)."""
    assert f.app is not None
    with f.app.app_context():
        found = db.session.scalar(select(Offer.id).where(Offer.application_id == f.application_id))
        if found is not None:
            return found
        offer = Offer(application_id=f.application_id, level_id="senior-csm", ladder_version="test")
        db.session.add(offer)
        db.session.commit()
        return offer.id


def api(f, path: str) -> str:
    return f"/api/v1/offers/{offer_id(f)}{path}"


MATRIX = {
    ("GET", "api.application_offers"): (
        lambda f: f"/api/v1/applications/{f.application_id}/offers",
        expect(401, **READ_API),
    ),
    ("POST", "api.application_offer_create"): (
        lambda f: f"/api/v1/applications/{f.application_id}/offers",
        expect(401, **STAFF_API),
    ),
    ("GET", "api.offer_detail"): (lambda f: api(f, ""), expect(401, **READ_API)),
    ("PATCH", "api.offer_update"): (lambda f: api(f, ""), expect(401, **STAFF_API)),
    ("POST", "api.offer_ask_approval"): (
        lambda f: api(f, "/ask-approval"),
        expect(401, **STAFF_API),
    ),
    ("POST", "api.offer_approve"): (lambda f: api(f, "/approve"), expect(401, **ADMIN_API)),
    ("POST", "api.offer_reject"): (lambda f: api(f, "/reject"), expect(401, **ADMIN_API)),
    ("POST", "api.offer_extend"): (lambda f: api(f, "/extend"), expect(401, **STAFF_API)),
    ("POST", "api.offer_accept"): (lambda f: api(f, "/accept"), expect(401, **STAFF_API)),
    ("POST", "api.offer_decline"): (lambda f: api(f, "/decline"), expect(401, **STAFF_API)),
    ("POST", "api.offer_withdraw"): (lambda f: api(f, "/withdraw"), expect(401, **STAFF_API)),
    ("POST", "api.offer_hire"): (lambda f: api(f, "/hire"), expect(401, **STAFF_API)),
    ("GET", "hiring.offer_new"): (
        lambda f: f"/hiring/applications/{f.application_id}/offers/new",
        expect(302, **PAGE),
    ),
    ("POST", "hiring.offer_new"): (
        lambda f: f"/hiring/applications/{f.application_id}/offers/new",
        expect(302, **FORM),
    ),
    ("GET", "hiring.offer"): (
        lambda f: f"/hiring/offers/{offer_id(f)}",
        expect(302, **PAGE),
    ),
    ("GET", "hiring.offer_edit"): (
        lambda f: f"/hiring/offers/{offer_id(f)}/edit",
        expect(302, **PAGE),
    ),
    ("POST", "hiring.offer_edit"): (
        lambda f: f"/hiring/offers/{offer_id(f)}/edit",
        expect(302, **FORM),
    ),
    # An empty move: back to the offer with the form's errors.
    ("POST", "hiring.offer_move"): (
        lambda f: f"/hiring/offers/{offer_id(f)}/move",
        expect(302, admin=302, recruiter=302, hiring_manager=302, default=403),
    ),
    ("GET", "hiring.offer_hire"): (
        lambda f: f"/hiring/offers/{offer_id(f)}/hire",
        expect(302, **PAGE),
    ),
    ("POST", "hiring.offer_hire"): (
        lambda f: f"/hiring/offers/{offer_id(f)}/hire",
        expect(302, **FORM),
    ),
    ("GET", "hiring.offer_approvals"): (
        lambda f: "/hiring/offers/approvals",
        expect(302, admin=200, default=403),
    ),
}
