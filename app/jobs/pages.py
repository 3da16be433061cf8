"""The public careers site: the list of published postings, a posting (generated from the
ladder, with its JSON-LD and the application form), applying, and the posting's role
description as a PDF. Public by design: no sign-in, and nothing internal is shown (no
names of staff, no ids of people)."""

from __future__ import annotations

from typing import Any

from flask import abort, current_app, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from app.careers.documents import cache_key, file_name, get_role_description_pdf
from app.clock import utcnow
from app.hiring.cv_content import CvRejected
from app.hiring.cv_storage import check_upload
from app.jobs import queries
from app.jobs.forms import ApplyForm, split_links
from app.jobs.stamp import StampCheck, check_stamp, make_stamp
from app.ladder_access import get_ladder
from app.models import Requisition
from app.paging import newest_first
from app.pdf import pdf_download
from app.rate_limits import apply as apply_limit
from app.rate_limits import expensive
from app.routing import Routes
from app.services import postings
from app.services.errors import ServiceError
from app.services.outbox import external_url
from ladder.resolve import UnknownIdError, specialty_labels
from pipelines.postings import Posting, job_posting_json_ld
from pipelines.privacy import CONSENT_TEXTS, CURRENT_CONSENT_VERSION

routes = Routes()

#: The role description may be kept by browsers and proxies: it is public ladder text.
PDF_CACHE_CONTROL = "public, max-age=3600"

CV_AGAIN = "For your safety the CV is not kept when the form has a problem: choose it again."


def filters_from_request() -> queries.Filters:
    args = request.args
    return queries.Filters(
        family=(args.get("family") or "").strip()[:100] or None,
        specialty=(args.get("specialty") or "").strip()[:100] or None,
        location=(args.get("location") or "").strip()[:200] or None,
        remote=args.get("remote") in ("1", "on", "true"),
    )


def page_size() -> int:
    return int(current_app.config.get("JOBS_PAGE_SIZE", 20))


def listing(requisition: Requisition) -> dict[str, Any]:
    """What a list shows of a posting: the ladder's names, where, the employment type."""
    ladder = get_ladder()
    level = ladder.levels_by_id.get(requisition.level_id)
    family = ladder.families_by_id.get(level.family) if level is not None else None
    specialty = (
        family.specialty(requisition.specialty_id)
        if family is not None and requisition.specialty_id
        else None
    )
    location = requisition.posting_location or ""
    return {
        "id": requisition.id,
        "title": requisition.title,
        "level_title": level.title if level is not None else requisition.level_id,
        "family_id": family.id if family is not None else None,
        "family_title": family.title if family is not None else None,
        "specialty_id": requisition.specialty_id,
        "specialty_title": specialty.title if specialty is not None else None,
        "location": requisition.posting_location,
        "remote": bool(requisition.posting_remote),
        "where": (f"Remote ({location})" if location else "Remote")
        if requisition.posting_remote
        else location,
        "employment_type": requisition.employment_type.value,
        "employment_type_label": requisition.employment_type.label,
        "published_at": requisition.published_at,
        "valid_through": requisition.posting_valid_through,
    }


@routes.get("")
def index() -> str:
    today = utcnow().date()
    ladder = get_ladder()
    filters = filters_from_request()
    page = newest_first(
        queries.postings(ladder, filters, today),
        moment=Requisition.published_at,
        row_id=Requisition.id,
        key=lambda row: (row[0].published_at, row[0].id),
        per_page=page_size(),
    )
    return render_template(
        "jobs/index.html",
        page=page,
        items=[listing(row[0]) for row in page.items],
        filters=filters,
        families=[(f.id, f.title) for f in ladder.families],
        specialties=specialty_labels(ladder),
        locations=queries.locations(today),
    )


def _live_or_404(requisition_id: int) -> Requisition:
    requisition = queries.posting(requisition_id, utcnow().date())
    if requisition is None:
        abort(404)
    return requisition


def posting_or_404(requisition: Requisition) -> Posting:
    try:
        return postings.posting_of(requisition)
    except UnknownIdError:
        # The ladder lost the level since the requisition was opened: no posting to show.
        abort(404)


def json_ld(posting: Posting) -> dict[str, Any]:
    return job_posting_json_ld(
        posting,
        url=external_url("jobs.posting", requisition_id=posting.id),
        company_name=current_app.config["COMPANY_NAME"],
        company_url=current_app.config.get("BASE_URL") or request.host_url.rstrip("/"),
    )


def _render_posting(
    requisition: Requisition, form: ApplyForm, status: int = 200, problem: str | None = None
) -> tuple[str, int]:
    posting = posting_or_404(requisition)
    form.stamp.data = make_stamp(requisition.id)
    form.consent_version.data = CURRENT_CONSENT_VERSION
    return render_template(
        "jobs/posting.html",
        posting=posting,
        json_ld=json_ld(posting),
        form=form,
        problem=problem,
        consent_text=CONSENT_TEXTS[CURRENT_CONSENT_VERSION],
        consent_version=CURRENT_CONSENT_VERSION,
        apply_link=True,
        pdf_url=url_for("jobs.role_description", requisition_id=requisition.id),
    ), status


@routes.get("/<int:requisition_id>")
def posting(requisition_id: int) -> ResponseReturnValue:
    return _render_posting(_live_or_404(requisition_id), ApplyForm(formdata=None))


def _thanks(requisition_id: int) -> ResponseReturnValue:
    return redirect(url_for("jobs.applied", requisition_id=requisition_id), 303)


@routes.post("/<int:requisition_id>/apply")
@apply_limit
def apply(requisition_id: int) -> ResponseReturnValue:
    requisition = _live_or_404(requisition_id)
    form = ApplyForm()
    if (request.form.get("website") or "").strip():
        # A bot filled in the hidden field: answered like a success, nothing written.
        return _thanks(requisition_id)
    stamp = check_stamp(request.form.get("stamp"), requisition_id)
    if stamp in (StampCheck.MISSING, StampCheck.FORGED):
        return _render_posting(
            requisition,
            form,
            400,
            "This form could not be checked. Please send it again from this page. " + CV_AGAIN,
        )
    if stamp is StampCheck.TOO_FAST:
        return _render_posting(
            requisition,
            form,
            422,
            "That was quicker than we expect a person to be. Please check your details and "
            "send the form again. " + CV_AGAIN,
        )
    if stamp is StampCheck.EXPIRED:
        return _render_posting(
            requisition,
            form,
            422,
            "This form was open for a long time. Please check your details and send it "
            "again. " + CV_AGAIN,
        )
    if not form.validate_on_submit():
        if form.cv.data and getattr(form.cv.data, "filename", None):
            form.cv.errors = [CV_AGAIN]
        return _render_posting(requisition, form, 422, "Please correct the marked fields.")
    try:
        cv = check_upload(form.cv.data)
    except CvRejected as exc:
        form.cv.errors = [f"{exc} Choose another file."]
        return _render_posting(requisition, form, 422, "Please correct the marked fields.")
    if cv is None:
        form.cv.errors = ["Please attach your CV (PDF, Word .docx or plain text)."]
        return _render_posting(requisition, form, 422, "Please correct the marked fields.")
    try:
        postings.apply(
            requisition,
            postings.Applicant(
                name=form.name.data or "",
                email=form.email.data or "",
                phone=(form.phone.data or "").strip() or None,
                links=tuple(split_links(form.links.data)),
                note=(form.note.data or "").strip() or None,
                consent_version=CURRENT_CONSENT_VERSION,
                consent_on=utcnow().date(),
            ),
            cv,
        )
    except ServiceError:
        # Another application with this address at the same moment, or the posting
        # closed meanwhile: nothing was kept; the same words whoever the address is.
        return _render_posting(
            requisition,
            form,
            409,
            "Your application could not be saved: please send it again. " + CV_AGAIN,
        )
    return _thanks(requisition_id)


@routes.get("/<int:requisition_id>/applied")
def applied(requisition_id: int) -> str:
    requisition = _live_or_404(requisition_id)
    return render_template("jobs/applied.html", posting=posting_or_404(requisition))


@routes.get("/<int:requisition_id>/role-description.pdf")
@expensive
def role_description(requisition_id: int) -> ResponseReturnValue:
    """The role description of the posting's level and specialty (the cached PDF)."""
    requisition = _live_or_404(requisition_id)
    ladder = get_ladder()
    level_id, specialty_id = requisition.level_id, requisition.specialty_id
    try:
        key = cache_key(ladder, level_id, specialty_id, "a4")
    except UnknownIdError:
        abort(404)
    return pdf_download(
        key.digest,
        lambda: get_role_description_pdf(ladder, level_id, specialty_id, "a4").data,
        file_name(level_id, specialty_id, "a4"),
        PDF_CACHE_CONTROL,
    )
