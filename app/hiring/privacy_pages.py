"""A candidate's data: export everything (a zip), erase the personal data, renew consent.

For recruiters and admins only. Everyone else gets 404: who a candidate is, and whether
one exists, is not theirs to learn from these addresses.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from app.db import db
from app.hiring.access import candidate_for_privacy_or_404
from app.hiring.cv_storage import configured_store
from app.hiring.export import candidate_zip, export_filename, zip_download
from app.hiring.forms import ConsentForm, EraseForm
from app.inputs import stored_int
from app.models import Application, Candidate
from app.rate_limits import expensive
from app.routing import Routes
from app.services import privacy
from app.services.errors import ServiceError
from pipelines.privacy import erased_label

routes = Routes()


def _back(candidate: Candidate) -> str:
    """The application page the request came from (one of the candidate's), else the list."""
    application_id = stored_int(request.values.get("application_id", ""))
    if application_id is not None:
        application = db.session.get(Application, application_id)
        if application is not None and application.candidate_id == candidate.id:
            return url_for("hiring.application", application_id=application.id)
    return url_for("hiring.requisitions")


@routes.get("/candidates/<int:candidate_id>/export")
@expensive
@login_required
def candidate_export(candidate_id: int) -> Response:
    candidate = candidate_for_privacy_or_404(candidate_id, current_user)
    data = candidate_zip(candidate)
    filename = export_filename(candidate)
    privacy.record_export(candidate, actor=current_user)
    return zip_download(data, filename)


@routes.route("/candidates/<int:candidate_id>/erase", methods=["GET", "POST"])
@login_required
def candidate_erase(candidate_id: int) -> ResponseReturnValue:
    candidate = candidate_for_privacy_or_404(candidate_id, current_user)
    back = _back(candidate)
    if candidate.erased:
        flash(f"{candidate.name} is erased already; there is nothing left to erase.", "info")
        return redirect(back)
    form = EraseForm()
    if request.method == "GET":
        form.version.data = str(candidate.version)
    status = 200
    if form.validate_on_submit():
        store = configured_store()
        try:
            erased = privacy.erase_candidate(
                candidate,
                actor=current_user,
                expected_version=int(form.version.data or -1),
                remove_cv=store.delete_if_present,
            )
        except ServiceError as exc:
            flash(str(exc), "error")
            status = 409
        else:
            flash(
                "The candidate's personal data is erased: name, contact details, CV, notes, "
                "answers and messages to them removed; the applications' stages, dates and "
                f"ratings are kept. The record now reads as “{erased_label(erased.candidate_id)}”.",
                "success",
            )
            return redirect(back)
    elif request.method == "POST":
        status = 422
    return render_template(
        "hiring/erase.html",
        candidate=candidate,
        form=form,
        application_id=request.values.get("application_id", ""),
        back=back,
    ), status


@routes.post("/candidates/<int:candidate_id>/consent")
@login_required
def candidate_consent(candidate_id: int) -> Response:
    candidate = candidate_for_privacy_or_404(candidate_id, current_user)
    back = _back(candidate)
    form = ConsentForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for error in errors:
                flash(error, "error")
        return redirect(back)
    assert form.consent_on.data is not None
    try:
        privacy.renew_consent(
            candidate,
            consent_on=form.consent_on.data,
            version=form.consent_version.data,
            expected_version=int(form.version.data or -1),
            actor=current_user,
        )
    except ServiceError as exc:
        flash(str(exc), "error")
    else:
        flash("Consent recorded.", "success")
    return redirect(back)
