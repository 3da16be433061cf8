"""The public jobs API: published postings, no token needed (the careers site as JSON)."""

from __future__ import annotations

from flask import abort, jsonify, url_for
from flask.typing import ResponseReturnValue

from app.clock import utcnow
from app.jobs import pages, queries, represent
from app.ladder_access import get_ladder
from app.models import Requisition
from app.paging import newest_first
from app.routing import Routes
from app.services.outbox import external_url

routes = Routes()


@routes.get("/jobs")
def jobs() -> ResponseReturnValue:
    """Live postings, newest first, ``?after=`` the cursor in ``next``."""
    today = utcnow().date()
    filters = pages.filters_from_request()
    page = newest_first(
        queries.postings(get_ladder(), filters, today),
        moment=Requisition.published_at,
        row_id=Requisition.id,
        key=lambda row: (row[0].published_at, row[0].id),
        per_page=pages.page_size(),
    )
    args = {
        k: v
        for k, v in (
            ("family", filters.family),
            ("specialty", filters.specialty),
            ("location", filters.location),
            ("remote", "1" if filters.remote else None),
        )
        if v
    }
    return jsonify(
        items=[represent.listing(pages.listing(row[0])) for row in page.items],
        next=url_for("api.jobs", after=page.after, **args) if page.after else None,
        previous=url_for("api.jobs", before=page.before, **args) if page.before else None,
    )


@routes.get("/jobs/<int:requisition_id>")
def job(requisition_id: int) -> ResponseReturnValue:
    requisition = queries.posting(requisition_id, utcnow().date())
    if requisition is None:
        abort(404)
    post = pages.posting_or_404(requisition)
    url = external_url("jobs.posting", requisition_id=requisition_id)
    return jsonify(represent.posting(post, url=url, json_ld=pages.json_ld(post)))
