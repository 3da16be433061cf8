"""Requisitions and candidates: the list, opening and editing a requisition, the pipeline
board, adding a candidate (with a CV), and the CV download."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required
from markupsafe import Markup, escape
from werkzeug.wrappers import Response

from app.accounts.permissions import roles_required
from app.clock import utcnow
from app.db import db
from app.denials import deny
from app.hiring import board_queries, queries
from app.hiring.access import candidate_for_privacy_or_404, requisition_or_404
from app.hiring.cv_content import CvKind, CvRejected
from app.hiring.cv_storage import InvalidCvKey, check_upload, configured_store, download_name
from app.hiring.forms import (
    AdvanceForm,
    CandidateForm,
    CandidateTimezoneForm,
    ExistingCandidateForm,
    RequisitionFilterForm,
    RequisitionForm,
)
from app.hiring.permissions import (
    RECRUITING,
    STAFF,
    can_edit_requisition,
    can_move_applications,
    can_view_cv,
    is_hiring_manager,
)
from app.inputs import stored_int
from app.ladder_access import get_ladder
from app.models import Application, Candidate, Requisition, Role, User
from app.paging import cursor_arg, newest_first
from app.rate_limits import rate_limit
from app.routing import Routes
from app.rows import row_id
from app.services import audit, hiring, kits, offers
from app.services.errors import ConflictError, ServiceError
from app.services.plans import plan_for_level_id
from ladder.model import Ladder
from ladder.resolve import reports_to_levels, specialty_labels, specialty_levels
from pipelines import board as board_rules
from pipelines.applications import ApplicationStatus
from pipelines.board import BoardOrder
from pipelines.plan import PipelinePlan
from pipelines.privacy import CONSENT_TEXTS, CURRENT_CONSENT_VERSION
from pipelines.referrals import recruiter_source
from pipelines.requisitions import RequisitionStatus
from pipelines.sources import ApplicationSource
from pipelines.timezones import zone_names

routes = Routes()


def _page_size() -> int:
    return int(current_app.config.get("HIRING_PAGE_SIZE", 20))


def _level_choices() -> list[tuple[str, str]]:
    ladder = get_ladder()
    choices = []
    for family in ladder.families:
        for level in family.levels:
            if level.defined_elsewhere:
                continue
            grade = f"grade {level.grade}" if level.grade is not None else "no grade"
            boss = ""
            if level.reports_to is not None:
                names = [lv.name for lv in reports_to_levels(ladder, level.id)]
                boss = f", reports to {' / '.join(names) or level.reports_to.text}"
            choices.append((level.id, f"{family.title} — {level.title} ({grade}{boss})"))
    return choices


def _fill_requisition_choices(form: RequisitionForm) -> None:
    form.level_id.choices = _level_choices()
    # Specialty ids repeat across families; each choice lists the levels it applies to,
    # which app/static/picker.js follows; the service checks the pair.
    ladder = get_ladder()
    levels = specialty_levels(ladder)
    form.specialty_id.choices = [
        ("", "None"),
        *(
            (specialty_id, label, {"data-levels": " ".join(levels.get(specialty_id, ()))})
            for specialty_id, label in specialty_labels(ladder)
        ),
    ]
    form.specialty_id.render_kw = {"data-follows": form.level_id.id}
    form.specialty_id.description = "Only the specialties of the chosen level apply."
    form.hiring_manager_id.choices = [
        (u.id, u.display_name) for u in queries.people_with(Role.HIRING_MANAGER)
    ]
    form.recruiter_id.choices = [
        (u.id, u.display_name) for u in queries.people_with(Role.RECRUITER)
    ]


def _user(user_id: int | None) -> User:
    user = db.session.get(User, user_id) if user_id else None
    if user is None:
        abort(400)
    return user


# --- requisitions -----------------------------------------------------------------

#: Per plan (by identity: each is built once per process), its stages' ids and their names
#: escaped for an attribute.
_STAGE_TITLES: dict[int, tuple[PipelinePlan, tuple[tuple[str, str], ...]]] = {}


def stage_count_cells(plan: PipelinePlan, counts: dict[str, int]) -> Markup:
    """A requisition's active candidates per stage of its plan, one ``<span>`` each (the
    list writes them here rather than in a template loop per stage of every row)."""
    entry = _STAGE_TITLES.get(id(plan))
    if entry is None or entry[0] is not plan:
        titles = tuple((stage.id, str(escape(stage.name))) for stage in plan.stages)
        entry = _STAGE_TITLES[id(plan)] = (plan, titles)
    return Markup(  # noqa: S704 - the names escaped above, the counts integers
        "".join(
            f'<span title="{title}" class="count has">{int(counts[stage_id])}</span>'
            if counts.get(stage_id)
            else f'<span title="{title}" class="count">0</span>'
            for stage_id, title in entry[1]
        )
    )


class _Cells(dict[str, Markup]):
    """Cells by a row's value; a value without one shows as itself (escaped)."""

    def __missing__(self, key: str) -> str:
        return key


#: The level cell of each level of the ladder last shown (its name and grade), made once
#: per ladder rather than looked up and written out for every row.
_LEVEL_CELLS: tuple[Ladder, _Cells] | None = None


def level_cells(ladder: Ladder) -> _Cells:
    global _LEVEL_CELLS
    kept = _LEVEL_CELLS
    if kept is None or kept[0] is not ladder:
        cells = _Cells()
        for level_id, level in ladder.levels_by_id.items():
            grade = f' <span class="muted">· grade {level.grade}</span>' if level.grade else ""
            cells[level_id] = Markup(f"{escape(level.name)}{grade}")  # noqa: S704 - escaped
        kept = _LEVEL_CELLS = (ladder, cells)
    return kept[1]


#: Each status's tag in the list (greyed but for open requisitions).
STATUS_TAGS = {
    status: Markup(  # noqa: S704 - our own labels, escaped
        f'<span class="tag{"" if status is RequisitionStatus.OPEN else " muted"}">'
        f"{escape(status.label.lower())}</span>"
    )
    for status in RequisitionStatus
}


@routes.get("/requisitions")
@roles_required(*STAFF)
def requisitions() -> str:
    form = RequisitionFilterForm(request.args)
    query, params = (
        queries.requisition_rows(
            current_user,
            status=form.status.data or None,
            mine=bool(form.mine.data),
            title=(form.q.data or "").strip() or None,
        )
        if form.validate()
        else queries.requisition_rows(current_user)
    )
    # Newest first by a cursor (?after= / ?before=): a deep page costs what the first does.
    # The columns the list shows as plain rows, not the requisitions' objects.
    page = newest_first(
        query,
        moment=Requisition.created_at,
        row_id=Requisition.id,
        key=lambda row: (row.created_at, row.id),
        per_page=_page_size(),
        params=params,
    )
    shown = page.items
    active, hires = queries.pipeline_counts([r.id for r in shown])
    return render_template(
        "hiring/requisitions.html",
        page=page,
        requisitions=shown,
        form=form,
        hires={r.id: hires.get(r.id, 0) for r in shown},
        stage_counts={
            r.id: stage_count_cells(plan_for_level_id(r.level_id), active.get(r.id, {}))
            for r in shown
        },
        level_cells=level_cells(get_ladder()),
        status_tags=STATUS_TAGS,
        can_create=can_edit_requisition(current_user),
        # Row links are built from this prefix rather than a url_for per row.
        board_prefix=url_for("hiring.board", requisition_id=0).removesuffix("0"),
    )


@routes.route("/requisitions/new", methods=["GET", "POST"])
@roles_required(*RECRUITING)
def requisition_new() -> ResponseReturnValue:
    form = RequisitionForm()
    _fill_requisition_choices(form)
    if request.method == "GET" and current_user.has_role(Role.RECRUITER):
        form.recruiter_id.data = current_user.id
    if form.validate_on_submit():
        try:
            requisition = hiring.create_requisition(
                title=form.title.data or "",
                level_id=form.level_id.data or "",
                specialty_id=form.specialty_id.data or None,
                hiring_manager=_user(form.hiring_manager_id.data),
                recruiter=_user(form.recruiter_id.data),
                headcount=form.headcount.data or 1,
                actor=current_user,
            )
        except ServiceError as exc:
            form.level_id.errors = [*form.level_id.errors, str(exc)]
        else:
            flash(f"Requisition “{requisition.title}” opened.", "success")
            return redirect(url_for("hiring.board", requisition_id=requisition.id))
    return render_template("hiring/requisition_form.html", form=form, requisition=None)


@routes.route("/requisitions/<int:requisition_id>/edit", methods=["GET", "POST"])
@roles_required(*RECRUITING)
def requisition_edit(requisition_id: int) -> ResponseReturnValue:
    requisition = requisition_or_404(requisition_id, current_user)
    form = RequisitionForm(obj=requisition if request.method == "GET" else None)
    _fill_requisition_choices(form)
    if request.method == "GET":
        form.version.data = str(requisition.version)
        form.specialty_id.data = requisition.specialty_id or ""
    if form.validate_on_submit():
        try:
            hiring.update_requisition(
                requisition,
                title=form.title.data or "",
                level_id=form.level_id.data or "",
                specialty_id=form.specialty_id.data or None,
                hiring_manager=_user(form.hiring_manager_id.data),
                recruiter=_user(form.recruiter_id.data),
                headcount=form.headcount.data or 1,
                status=form.status.data or RequisitionStatus.OPEN,
                expected_version=int(form.version.data or -1),
                actor=current_user,
            )
        except ConflictError as exc:
            flash(str(exc), "error")
            return render_template(
                "hiring/requisition_form.html", form=form, requisition=requisition
            ), 409
        except ServiceError as exc:
            form.level_id.errors = [*form.level_id.errors, str(exc)]
        else:
            flash("Requisition saved.", "success")
            return redirect(url_for("hiring.board", requisition_id=requisition.id))
    return render_template("hiring/requisition_form.html", form=form, requisition=requisition)


def _board_view() -> tuple[BoardOrder, board_queries.Opened | None]:
    """``?order=``, and the column opened further (``?stage=``, ``?after=``, ``?q=``);
    400 saying which part of the address is wrong."""
    order = board_rules.parse_order(request.args.get("order"))
    if order is None:
        abort(400, description="The board's order (?order=) is 'oldest' or 'newest'.")
    column = request.args.get("stage", "")
    if column == "":
        return order, None
    return order, board_queries.Opened(
        column=column,
        after=cursor_arg("after"),
        name=board_rules.clean_filter(request.args.get("q")),
    )


@routes.get("/requisitions/<int:requisition_id>")
@roles_required(*STAFF)
def board(requisition_id: int) -> str:
    requisition = requisition_or_404(requisition_id, current_user)
    plan = hiring.plan_for(requisition)
    order, opened = _board_view()
    stage_ids = [stage.id for stage in plan.stages]
    if opened is not None and opened.column not in board_rules.columns(stage_ids):
        abort(
            400,
            description=f"This requisition's board has no column '{opened.column}' "
            f"(?stage=); its columns are {', '.join(board_rules.columns(stage_ids))}.",
        )
    per_column = int(current_app.config["BOARD_CARDS_PER_COLUMN"])
    columns = board_queries.columns(
        requisition.id, stage_ids, order=order, per_column=per_column, opened=opened
    )
    now = utcnow()
    can_move = can_move_applications(current_user, requisition)
    # The cards of the plan's stages: the ones that can move on (an application at a stage
    # the plan no longer has is listed with the closed ones, and does not).
    on_board = [a for stage_id in stage_ids for a in columns[stage_id].cards]
    with_offers = columns[board_rules.OFFER].cards + columns[board_rules.HIRED].cards
    # The interviews of the cards in stage columns: their progress, and the move rules.
    seats = hiring.interview_seats([a.id for a in on_board if a.status is ApplicationStatus.ACTIVE])
    return render_template(
        "hiring/board.html",
        requisition=requisition,
        plan=plan,
        level=get_ladder().levels_by_id.get(requisition.level_id),
        columns=columns,
        order=order,
        orders=list(BoardOrder),
        opened=opened,
        offers=offers.latest_offers([a.id for a in with_offers]),
        scorecards=hiring.scorecard_progress(seats),
        days_in_stage=lambda a: (now - a.entered_stage_at).days,
        can_edit=can_edit_requisition(current_user),
        can_move=can_move,
        # Which Advance buttons can succeed for this user now, and why not otherwise.
        move_offers=hiring.move_on_offers(on_board, requisition, current_user, seats)
        if can_move
        else {},
        action_form=AdvanceForm(),
        is_hiring_manager=is_hiring_manager(current_user, requisition),
        can_edit_kit=kits.may_edit_kit(current_user, requisition),
        # Card links are built from this prefix: hundreds of url_for calls otherwise.
        app_prefix=url_for("hiring.application", application_id=0).removesuffix("0"),
        board_url=url_for("hiring.board", requisition_id=requisition.id),
        OFFER_COLUMN=board_rules.OFFER,
        HIRED_COLUMN=board_rules.HIRED,
        CLOSED_COLUMN=board_rules.CLOSED,
    )


# --- candidates -------------------------------------------------------------------


@routes.route("/requisitions/<int:requisition_id>/candidates/new", methods=["GET", "POST"])
# A posted CV is decompressed and scanned (PDF actions): the expensive limit.
@rate_limit("expensive", methods=("POST",))
@roles_required(*RECRUITING)
def candidate_new(requisition_id: int) -> ResponseReturnValue:
    requisition = requisition_or_404(requisition_id, current_user)
    form = CandidateForm()
    existing: Candidate | None = None
    if form.validate_on_submit():
        try:
            cv = check_upload(form.cv.data)
        except CvRejected as exc:
            form.cv.errors = [*form.cv.errors, str(exc)]
        else:
            try:
                candidate = hiring.add_candidate(
                    hiring.CandidateDetails(
                        name=form.name.data or "",
                        email=form.email.data or "",
                        phone=form.phone.data,
                        location=form.location.data,
                        source=form.source.data,
                        consent_on=form.consent_on.data,
                        consent_version=form.consent_version.data,
                        timezone=form.timezone.data,
                    ),
                    actor=current_user,
                    cv_file=cv,
                )
                application = hiring.open_application(
                    candidate,
                    requisition,
                    actor=current_user,
                    source=recruiter_source(form.application_source.data),
                )
            except hiring.DuplicateCandidateError as exc:
                existing = exc.existing
                form.email.errors = [*form.email.errors, str(exc)]
            except ServiceError as exc:
                form.name.errors = [*form.name.errors, str(exc)]
            else:
                flash(f"{candidate.name} added to the pipeline.", "success")
                return redirect(url_for("hiring.application", application_id=application.id))
    return render_template(
        "hiring/candidate_form.html",
        form=form,
        requisition=requisition,
        existing=existing,
        existing_form=ExistingCandidateForm(
            candidate_id=existing.id if existing else "",
            application_source=form.application_source.data or ApplicationSource.SOURCED.value,
        ),
        consent_texts=CONSENT_TEXTS,
        current_consent_version=CURRENT_CONSENT_VERSION,
        zone_names=zone_names(),
    )


@routes.post("/requisitions/<int:requisition_id>/candidates/existing")
@roles_required(*RECRUITING)
def candidate_add_existing(requisition_id: int) -> Response:
    requisition = requisition_or_404(requisition_id, current_user)
    form = ExistingCandidateForm()
    if not form.validate_on_submit():
        abort(400)
    candidate = db.session.get(Candidate, form.candidate_id.data)
    if candidate is None:
        abort(404)
    name, board = candidate.name, url_for("hiring.board", requisition_id=requisition.id)
    try:
        application = hiring.open_application(
            candidate,
            requisition,
            actor=current_user,
            source=recruiter_source(form.application_source.data),
        )
    except ServiceError as exc:
        flash(str(exc), "error")
        return redirect(board)
    # Committed: the answer uses no database (the identity is known without a query).
    flash(f"{name} added to the pipeline.", "success")
    return redirect(url_for("hiring.application", application_id=row_id(application)))


@routes.post("/candidates/<int:candidate_id>/timezone")
@login_required
def candidate_timezone(candidate_id: int) -> Response:
    """Set the zone the candidate's messages are written in (from the application page);
    recruiters and admins, like the candidate's other data (anyone else 404)."""
    candidate = candidate_for_privacy_or_404(candidate_id, current_user)
    back = url_for("hiring.requisitions")
    application_id = stored_int(request.form.get("application_id", ""))
    if application_id is not None:
        application = db.session.get(Application, application_id)
        if application is not None and application.candidate_id == candidate.id:
            back = url_for("hiring.application", application_id=application.id)
    form = CandidateTimezoneForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for error in errors:
                flash(error, "error")
        return redirect(back)
    try:
        hiring.set_candidate_timezone(
            candidate,
            form.timezone.data,
            actor=current_user,
            expected_version=int(form.version.data or -1),
        )
    except ServiceError as exc:
        flash(str(exc), "error")
    else:
        flash("Time zone saved.", "success")
    return redirect(back)


@routes.get("/candidates/<int:candidate_id>/cv")
@roles_required(*STAFF, Role.INTERVIEWER)
def candidate_cv(candidate_id: int) -> Response:
    candidate = db.session.get(Candidate, candidate_id)
    if candidate is None:
        abort(404)
    allowed = can_view_cv(
        current_user,
        queries.candidate_requisitions(candidate.id),
        interviewing=queries.interviews_candidate(current_user.id, candidate.id),
    )
    if not allowed:
        deny("candidate", candidate_id)
    if candidate.cv_key is None:
        abort(404)
    kind = CvKind(candidate.cv_kind)
    try:
        path = configured_store().path(candidate.cv_key)
    except InvalidCvKey:
        abort(404)
    if not path.exists():
        abort(404)
    name = download_name(candidate.name, kind)
    audit.record_read(
        audit.CANDIDATE_CV_DOWNLOAD,
        actor=current_user,
        channel="web",
        object_type="candidate",
        object_id=candidate_id,
    )
    response = send_file(
        path, mimetype=kind.content_type, as_attachment=True, download_name=name, max_age=0
    )
    # A CV must not stay in any cache, the browser's included.
    response.headers["Cache-Control"] = "no-store"
    return response
