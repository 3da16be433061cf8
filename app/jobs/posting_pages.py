"""The recruiters' side of the careers site, on a requisition: its posting's own text
(intro, location, remote, employment type, last day), publishing and unpublishing, and a
preview. The requisition's recruiter and admins edit; its hiring manager may look."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from app.accounts.permissions import roles_required
from app.fields import VersionField
from app.hiring.access import requisition_or_404
from app.hiring.permissions import STAFF, can_edit_posting
from app.jobs.forms import PostingActionForm, PostingForm
from app.jobs.pages import json_ld, posting_or_404
from app.models import Requisition
from app.routing import Routes
from app.services import postings
from app.services.errors import ConflictError, ServiceError
from pipelines.postings import EmploymentType, PostingFields

routes = Routes()


def _page(requisition: Requisition, form: PostingForm, status: int = 200) -> tuple[str, int]:
    editable = can_edit_posting(current_user, requisition)
    return render_template(
        "jobs/posting_edit.html",
        requisition=requisition,
        form=form,
        action_form=PostingActionForm(version=str(requisition.version)),
        editable=editable,
    ), status


@routes.get("/requisitions/<int:requisition_id>/posting")
@roles_required(*STAFF)
def posting_edit(requisition_id: int) -> ResponseReturnValue:
    requisition = requisition_or_404(requisition_id, current_user)
    form = PostingForm(
        formdata=None,
        intro=requisition.posting_intro,
        location=requisition.posting_location,
        remote=requisition.posting_remote,
        employment_type=requisition.employment_type.value,
        valid_through=requisition.posting_valid_through,
        version=str(requisition.version),
    )
    return _page(requisition, form)


def _editable_or_403(requisition: Requisition) -> None:
    if not can_edit_posting(current_user, requisition):
        abort(403)


@routes.post("/requisitions/<int:requisition_id>/posting")
@roles_required(*STAFF)
def posting_save(requisition_id: int) -> ResponseReturnValue:
    requisition = requisition_or_404(requisition_id, current_user)
    _editable_or_403(requisition)
    form = PostingForm()
    if not form.validate_on_submit():
        return _page(requisition, form, 422)
    try:
        postings.update_posting(
            requisition,
            PostingFields(
                intro=form.intro.data,
                location=form.location.data,
                remote=bool(form.remote.data),
                employment_type=EmploymentType(form.employment_type.data),
                valid_through=form.valid_through.data,
            ),
            expected_version=int(form.version.data or -1),
            actor=current_user,
        )
    except ConflictError as exc:
        flash(str(exc), "error")
        return _page(requisition, form, 409)
    except postings.PostingError as exc:
        target = {"posting_location": form.location, "posting_valid_through": form.valid_through}
        field = target.get(exc.field, form.intro)
        field.errors = [*field.errors, str(exc)]
        return _page(requisition, form, 422)
    flash("Posting saved.", "success")
    return redirect(url_for("hiring.posting_edit", requisition_id=requisition_id))


def _publishing(requisition_id: int, publish: bool) -> ResponseReturnValue:
    requisition = requisition_or_404(requisition_id, current_user)
    _editable_or_403(requisition)
    back = redirect(url_for("hiring.posting_edit", requisition_id=requisition_id))
    form = PostingActionForm()
    if not form.validate_on_submit():
        flash(VersionField.MESSAGE, "error")
        return back
    change = postings.publish if publish else postings.unpublish
    try:
        change(requisition, expected_version=int(form.version.data or -1), actor=current_user)
    except ServiceError as exc:
        flash(str(exc), "error")
        return back
    flash(
        "Published: the posting is on the careers site."
        if publish
        else "Unpublished: the posting is no longer on the careers site.",
        "success",
    )
    return back


@routes.post("/requisitions/<int:requisition_id>/posting/publish")
@roles_required(*STAFF)
def posting_publish(requisition_id: int) -> ResponseReturnValue:
    return _publishing(requisition_id, True)


@routes.post("/requisitions/<int:requisition_id>/posting/unpublish")
@roles_required(*STAFF)
def posting_unpublish(requisition_id: int) -> ResponseReturnValue:
    return _publishing(requisition_id, False)


@routes.get("/requisitions/<int:requisition_id>/posting/preview")
@roles_required(*STAFF)
def posting_preview(requisition_id: int) -> ResponseReturnValue:
    """The posting as the careers site shows it, published or not (no application form)."""
    requisition = requisition_or_404(requisition_id, current_user)
    posting = posting_or_404(requisition)
    return render_template(
        "jobs/preview.html",
        requisition=requisition,
        posting=posting,
        json_ld=json_ld(posting),
        apply_link=False,
    )
