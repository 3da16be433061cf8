"""Referral pages: "Refer someone" and "My referrals", for every signed-in team member.

A blueprint of their own (``referrals`` at /referrals) rather than pages of ``hiring``:
every hiring page is for recruiting staff of a requisition, while these are for anyone,
and show a referrer nothing of the hiring process but a three-way status.
"""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from app.hiring.cv_content import CvRejected
from app.hiring.cv_storage import check_upload
from app.inputs import DB_INT_MAX, stored_int
from app.ladder_access import get_ladder
from app.rate_limits import rate_limit
from app.referrals import queries
from app.referrals.forms import ReferralForm
from app.routing import Routes
from app.services import audit, referrals
from app.services.errors import ServiceError
from pipelines.referrals import ALREADY_CONSIDERED

routes = Routes()


def _page_size() -> int:
    return int(current_app.config.get("REFERRALS_PAGE_SIZE", 20))


def _requisition_choices() -> list[tuple[int, str]]:
    levels = get_ladder().levels_by_id
    choices = []
    for requisition_id, title, level_id in queries.open_requisitions():
        level = levels.get(level_id)
        grade = f", grade {level.grade}" if level is not None and level.grade is not None else ""
        level_title = level.title if level is not None else level_id
        choices.append((requisition_id, f"{title} — {level_title}{grade}"))
    return choices


@routes.route("/new", methods=["GET", "POST"])
# A posted CV is decompressed and scanned: the expensive limit.
@rate_limit("expensive", methods=("POST",))
@login_required
def new() -> ResponseReturnValue:
    form = ReferralForm()
    choices = _requisition_choices()
    bounded = len(choices) >= queries.MAX_REQUISITION_CHOICES
    wanted = stored_int(request.args.get("requisition", "")) or 0
    if wanted >= 1:
        # A link to one role (?requisition=<id>): offered even beyond the bounded list.
        if wanted not in {c[0] for c in choices}:
            try:
                extra = referrals.open_requisition(wanted)
            except ServiceError:
                pass
            else:
                choices.append((extra.id, extra.title))
        if request.method == "GET" and wanted in {c[0] for c in choices}:
            form.requisition_id.data = int(wanted)
    form.requisition_id.choices = [(0, "Choose a role…"), *choices]
    if form.validate_on_submit():
        requisition_id = form.requisition_id.data or 0
        requisition = None
        if 1 <= requisition_id <= DB_INT_MAX:
            try:
                requisition = referrals.open_requisition(requisition_id)
            except ServiceError as exc:
                form.requisition_id.errors = [*form.requisition_id.errors, str(exc)]
        else:
            form.requisition_id.errors = [*form.requisition_id.errors, "Choose a role."]
        cv = None
        try:
            cv = check_upload(form.cv.data)
        except CvRejected as exc:
            form.cv.errors = [*form.cv.errors, str(exc)]
        if requisition is not None and not form.cv.errors:
            name, title = (form.name.data or "").strip(), requisition.title
            try:
                referrals.refer(
                    requisition,
                    name=name,
                    email=form.email.data or "",
                    note=form.note.data or "",
                    referrer=current_user,
                    cv_file=cv,
                )
            except referrals.AlreadyConsideredError:
                flash(ALREADY_CONSIDERED, "info")
                return redirect(url_for("referrals.mine"))
            except referrals.NotOpenError as exc:
                form.requisition_id.errors = [*form.requisition_id.errors, str(exc)]
            except ServiceError as exc:
                form.note.errors = [*form.note.errors, str(exc)]
            else:
                flash(
                    f"Thank you: {name} is referred for {title}. A recruiter will be in touch "
                    "with them; you can follow the referral here.",
                    "success",
                )
                return redirect(url_for("referrals.mine"))
    status = 422 if form.errors else 200
    return render_template(
        "referrals/new.html",
        form=form,
        bounded=bounded,
    ), status


@routes.get("")
@login_required
def mine() -> str:
    raw = request.args.get("after", "")
    after = None
    if raw:
        after = stored_int(raw)
        if not after:
            abort(400, description="The list position in the address (?after=) is damaged.")
    page = queries.referrals_of(current_user.id, after=after, per_page=_page_size())
    html = render_template("referrals/mine.html", page=page, first_page=after is None)
    if page.items:
        # The referrer typed these names themselves; still a read of people's data.
        audit.record_read(
            audit.CANDIDATE_LIST,
            actor=current_user,
            channel="web",
            object_type="referral",
            summary={"application_ids": [r.id for r in page.items]},
        )
    return html
