"""Candidates for recruiters: the list with search and filters, a page per candidate with
every application, editing the record (contact details, notes, CV, tags) and merging two
records of the same person.

Recruiters and admins only (the list: 403 for other roles; a candidate: 404, like the
privacy pages). Hiring managers see candidates through their requisitions' boards, not
here. Every page is personal data: never cached, and each read is audited.
"""

from __future__ import annotations

from typing import Any

from flask import (
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required
from sqlalchemy import select
from werkzeug.wrappers import Response

from app.accounts.permissions import roles_required
from app.db import db
from app.hiring import candidate_queries as cq
from app.hiring.access import candidate_for_privacy_or_404
from app.hiring.cv_content import CvRejected
from app.hiring.cv_storage import check_upload, configured_store
from app.hiring.forms import (
    ActionForm,
    CandidateCvForm,
    CandidateEditForm,
    CandidateMergeForm,
    CandidateSearchForm,
    CandidateTagForm,
)
from app.hiring.permissions import RECRUITING
from app.inputs import stored_int
from app.ladder_access import get_ladder
from app.models import Candidate, CandidateMerge
from app.paging import newest_by_id
from app.rate_limits import rate_limit
from app.routing import Routes
from app.services import audit, hiring
from app.services import candidates as records
from app.services.errors import ServiceError
from pipelines.applications import ApplicationStatus
from pipelines.sources import ApplicationSource
from pipelines.timezones import zone_names

routes = Routes()

#: Candidates per page of the list (bounded whatever ``HIRING_PAGE_SIZE`` says).
MAX_PAGE = 100


def _page_size() -> int:
    return max(1, min(int(current_app.config.get("HIRING_PAGE_SIZE", 20)), MAX_PAGE))


def stage_choices() -> list[tuple[str, str]]:
    """Every stage of every family's plan, once (stage ids are shared across families)."""
    seen: dict[str, str] = {}
    ladder = get_ladder()
    from pipelines.plan import plan_for_level

    for family in ladder.families:
        level = next((lv for lv in family.levels if not lv.defined_elsewhere), None)
        if level is None:
            continue
        for stage in plan_for_level(ladder, level.id).stages:
            seen.setdefault(stage.id, stage.name)
    return list(seen.items())


def filters_from(form: CandidateSearchForm) -> cq.CandidateFilters:
    """The filters of a validated search form."""
    raw_requisition = form.requisition.data or ""
    return cq.CandidateFilters(
        q=(form.q.data or "").strip(),
        requisition_id=stored_int(str(raw_requisition)),
        family=form.family.data or None,
        stage=form.stage.data or None,
        status=ApplicationStatus(form.status.data) if form.status.data else None,
        source=ApplicationSource(form.source.data) if form.source.data else None,
        tag=(form.tag.data or "").strip() or None,
        created_from=form.created_from.data,
        created_to=form.created_to.data,
    )


def _fill_search_choices(form: CandidateSearchForm, requisition_id: int | None) -> None:
    form.requisition.choices = [("", "Any requisition")] + [
        (str(r.id), f"#{r.id} {r.title}") for r in cq.requisition_choices(requisition_id)
    ]
    form.family.choices = [("", "Any family")] + [(f.id, f.title) for f in get_ladder().families]
    form.stage.choices = [("", "Any stage"), *stage_choices()]


@routes.get("/candidates")
@roles_required(*RECRUITING)
def candidates() -> ResponseReturnValue:
    form = CandidateSearchForm(request.args)
    raw = request.args.get("requisition", "")
    _fill_search_choices(form, stored_int(raw))
    if form.validate():
        filters = filters_from(form)
        page = newest_by_id(
            cq.candidate_search(filters),
            row_id=Candidate.id,
            key=lambda row: row[0].id,
            per_page=_page_size(),
        )
        items = [row[0] for row in page.items]
    else:
        filters, page, items = cq.CandidateFilters(), None, []
    ids = [c.id for c in items]
    html = render_template(
        "hiring/candidates.html",
        form=form,
        filters=filters,
        page=page,
        items=items,
        applications=cq.applications_by_candidate(ids),
        tags=cq.tags_by_candidate(ids),
        stage_names=dict(stage_choices()),
    )
    # Which candidates the recruiter listed, by id (never their data).
    audit.record_read(
        audit.CANDIDATE_LIST,
        actor=current_user,
        channel="web",
        object_type="candidate",
        summary={"ids": ids, "count": len(ids), "searched": filters.any},
    )
    return html, 200 if page is not None else 422


def _candidate_page(
    candidate: Candidate,
    *,
    edit_form: CandidateEditForm | None = None,
    cv_form: CandidateCvForm | None = None,
    tag_form: CandidateTagForm | None = None,
    status: int = 200,
) -> ResponseReturnValue:
    applications = cq.applications_by_candidate([candidate.id])[candidate.id]
    if edit_form is None:
        edit_form = CandidateEditForm(
            formdata=None,
            obj=candidate,
            links="\n".join(candidate.links or []),
            version=candidate.version,
        )
    merges = records.pending_merges(candidate.id)
    html = render_template(
        "hiring/candidate.html",
        candidate=candidate,
        applications=applications,
        plans={a.id: hiring.plan_for(a.requisition) for a in applications},
        tags=records.tags_of(candidate.id),
        edit_form=edit_form,
        cv_form=cv_form or CandidateCvForm(formdata=None, version=candidate.version),
        tag_form=tag_form or CandidateTagForm(formdata=None, version=candidate.version),
        merges=merges,
        merged_names=_names([m.merged_id for m in merges]),
        merged_into=(
            db.session.get(Candidate, candidate.merged_into_id)
            if candidate.merged_into_id is not None
            else None
        ),
        zone_names=zone_names(),
        editable=candidate.erased_at is None and candidate.merged_into_id is None,
    )
    audit.record_read(
        audit.CANDIDATE_VIEW,
        actor=current_user,
        channel="web",
        object_type="candidate",
        object_id=candidate.id,
        summary={"page": "candidate"},
    )
    return html, status


@routes.get("/candidates/<int:candidate_id>")
@login_required
def candidate(candidate_id: int) -> ResponseReturnValue:
    return _candidate_page(candidate_for_privacy_or_404(candidate_id, current_user))


def _back(candidate_id: int) -> Response:
    return redirect(url_for("hiring.candidate", candidate_id=candidate_id), code=303)


def _version(form: Any) -> int:
    return int(form.version.data or -1)


@routes.post("/candidates/<int:candidate_id>/edit")
@login_required
def candidate_edit(candidate_id: int) -> ResponseReturnValue:
    candidate = candidate_for_privacy_or_404(candidate_id, current_user)
    form = CandidateEditForm()
    if form.validate_on_submit():
        changes = {
            "name": form.name.data,
            "email": form.email.data,
            "phone": form.phone.data,
            "location": form.location.data,
            "links": (form.links.data or "").splitlines(),
            "timezone": form.timezone.data,
            "notes": form.notes.data,
        }
        try:
            changed = records.update_candidate(
                candidate, changes, actor=current_user, expected_version=_version(form)
            )
        except records.CandidateFieldError as exc:
            getattr(form, exc.field).errors = [str(exc)]
        except ServiceError as exc:
            flash(str(exc), "error")
            return _back(candidate_id)
        else:
            flash("Saved." if changed else "Nothing changed.", "success")
            return _back(candidate_id)
    db.session.rollback()
    fresh = db.session.get(Candidate, candidate_id)
    assert fresh is not None
    return _candidate_page(fresh, edit_form=form, status=422)


@routes.post("/candidates/<int:candidate_id>/cv/replace")
# A posted CV is decompressed, scanned and read for text: the expensive limit.
@rate_limit("expensive", methods=("POST",))
@login_required
def candidate_cv_replace(candidate_id: int) -> ResponseReturnValue:
    candidate = candidate_for_privacy_or_404(candidate_id, current_user)
    form = CandidateCvForm()
    if form.validate_on_submit():
        try:
            pending = check_upload(form.cv.data)
        except CvRejected as exc:
            form.cv.errors = [str(exc)]
        else:
            if pending is None:
                form.cv.errors = ["Choose the new CV file."]
            else:
                try:
                    records.replace_cv(
                        candidate,
                        pending,
                        actor=current_user,
                        expected_version=_version(form),
                        remove_file=configured_store().delete_if_present,
                    )
                except ServiceError as exc:
                    flash(str(exc), "error")
                else:
                    flash("CV replaced.", "success")
                return _back(candidate_id)
    return _candidate_page(candidate, cv_form=form, status=422)


@routes.post("/candidates/<int:candidate_id>/tags")
@login_required
def candidate_tag_add(candidate_id: int) -> ResponseReturnValue:
    candidate = candidate_for_privacy_or_404(candidate_id, current_user)
    form = CandidateTagForm()
    if form.validate_on_submit():
        try:
            tag = records.add_tag(
                candidate, form.tag.data or "", actor=current_user, expected_version=_version(form)
            )
        except records.CandidateFieldError as exc:
            form.tag.errors = [str(exc)]
        except ServiceError as exc:
            flash(str(exc), "error")
            return _back(candidate_id)
        else:
            flash(f"Tagged {tag}.", "success")
            return _back(candidate_id)
    db.session.rollback()
    fresh = db.session.get(Candidate, candidate_id)
    assert fresh is not None
    return _candidate_page(fresh, tag_form=form, status=422)


@routes.post("/candidates/<int:candidate_id>/tags/remove")
@login_required
def candidate_tag_remove(candidate_id: int) -> Response:
    candidate = candidate_for_privacy_or_404(candidate_id, current_user)
    form = CandidateTagForm()
    if not form.validate_on_submit():
        flash("This form is damaged or out of date: reload the page and try again.", "error")
        return _back(candidate_id)
    try:
        records.remove_tag(
            candidate, form.tag.data or "", actor=current_user, expected_version=_version(form)
        )
    except ServiceError as exc:
        flash(str(exc), "error")
    else:
        flash("Tag removed.", "success")
    return _back(candidate_id)


# --- merging -----------------------------------------------------------------------


def _names(candidate_ids: list[int]) -> dict[int, str]:
    """The records' names, as the merge notes show them (one query)."""
    if not candidate_ids:
        return {}
    found = db.session.scalars(select(Candidate).where(Candidate.id.in_(candidate_ids)))
    return {c.id: records.record_words(c) for c in found}


def _words_of(candidate_id: int) -> str:
    return _names([candidate_id]).get(candidate_id, "the other candidate")


@routes.route("/candidates/<int:candidate_id>/merge", methods=["GET", "POST"])
@login_required
def candidate_merge(candidate_id: int) -> ResponseReturnValue:
    """Choose the other record (search), preview what moves, merge it into this one."""
    kept = candidate_for_privacy_or_404(candidate_id, current_user)
    form = CandidateMergeForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            flash("This form is damaged or out of date: reload the page and try again.", "error")
            return _back(candidate_id)
        other = db.session.get(Candidate, form.other_id.data)
        if other is None:
            abort(404)
        other_words = records.record_words(other)
        try:
            records.merge_candidates(
                kept,
                other,
                actor=current_user,
                kept_version=int(form.kept_version.data or -1),
                merged_version=int(form.merged_version.data or -1),
            )
        except ServiceError as exc:
            flash(str(exc), "error")
            return redirect(
                url_for("hiring.candidate_merge", candidate_id=candidate_id, other=other.id),
                code=303,
            )
        flash(
            f"The record of {other_words} merged into this one. Check it, then confirm the "
            "merge (or undo it).",
            "success",
        )
        return _back(candidate_id)
    query = (request.args.get("q") or "").strip()[:200]
    found: list[Candidate] = []
    if query:
        rows = db.session.execute(
            cq.candidate_search(cq.CandidateFilters(q=query))
            .where(Candidate.id != kept.id)
            .order_by(Candidate.id.desc())
            .limit(20)
        )
        found = [row[0] for row in rows]
    other_id = stored_int(request.args.get("other", ""))
    other = db.session.get(Candidate, other_id) if other_id is not None else None
    plan = records.merge_preview(kept, other) if other is not None else None
    html = render_template(
        "hiring/candidate_merge.html",
        kept=kept,
        query=query,
        found=found,
        other=other,
        plan=plan,
        other_applications=(
            cq.applications_by_candidate([other.id])[other.id] if other is not None else []
        ),
        form=CandidateMergeForm(
            formdata=None,
            other_id=other.id if other else None,
            kept_version=kept.version,
            merged_version=other.version if other else None,
        ),
    )
    audit.record_read(
        audit.CANDIDATE_VIEW,
        actor=current_user,
        channel="web",
        object_type="candidate",
        object_id=kept.id,
        summary={
            "page": "merge",
            "other_id": other.id if other else None,
            "found": [c.id for c in found],
        },
    )
    return html


def _merge_or_404(merge_id: int) -> CandidateMerge:
    if not current_user.has_role(*RECRUITING):
        abort(404)
    merge = cq.merge(merge_id)
    if merge is None:
        abort(404)
    return merge


@routes.post("/candidates/merges/<int:merge_id>/undo")
@login_required
def candidate_merge_undo(merge_id: int) -> Response:
    merge = _merge_or_404(merge_id)
    kept_id, merged_id = merge.kept_id, merge.merged_id
    merged_words = _words_of(merged_id)
    form = ActionForm()
    if not form.validate_on_submit():
        flash("This form is damaged or out of date: reload the page and try again.", "error")
        return _back(kept_id)
    try:
        records.undo_merge(merge, actor=current_user, expected_version=_version(form))
    except ServiceError as exc:
        flash(str(exc), "error")
    else:
        flash(f"Merge undone: the record of {merged_words} is separate again.", "success")
    return _back(kept_id)


@routes.post("/candidates/merges/<int:merge_id>/confirm")
@login_required
def candidate_merge_confirm(merge_id: int) -> Response:
    merge = _merge_or_404(merge_id)
    kept_id, merged_id = merge.kept_id, merge.merged_id
    merged_words = _words_of(merged_id)
    form = ActionForm()
    if not form.validate_on_submit():
        flash("This form is damaged or out of date: reload the page and try again.", "error")
        return _back(kept_id)
    try:
        records.confirm_merge(
            merge,
            actor=current_user,
            expected_version=_version(form),
            remove_cv=configured_store().delete_if_present,
        )
    except ServiceError as exc:
        flash(str(exc), "error")
    else:
        flash(
            f"Merge confirmed: the personal data of the record of {merged_words} is erased.",
            "success",
        )
    return _back(kept_id)
