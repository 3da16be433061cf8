"""Recruiters and hiring managers: requisitions, the pipeline board, candidates."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from pathlib import Path

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload, selectinload
from werkzeug.wrappers import Response

from app.auth.permissions import roles_required
from app.clock import utcnow
from app.db import db
from app.files import CvKind, CvRejected, CvStore, InvalidCvKey, download_name, sniff_cv
from app.hiring.forms import (
    ActionForm,
    AdvanceForm,
    CandidateForm,
    DeclineForm,
    ExistingCandidateForm,
    RequisitionFilterForm,
    RequisitionForm,
    ScreenForm,
    WithdrawForm,
)
from app.hiring.permissions import (
    can_edit_requisition,
    can_move_applications,
    can_view_cv,
    can_view_requisition,
)
from app.ladder_access import get_ladder
from app.models import (
    Application,
    Candidate,
    Interview,
    InterviewInterviewer,
    Requisition,
    Role,
    Scorecard,
    StageTransition,
    User,
    UserRole,
)
from app.services import hiring
from app.services.errors import ConflictError, ServiceError
from ladder.resolve import reports_to_levels
from pipelines.applications import Action, ApplicationStatus, allowed_actions, reason_in_words
from pipelines.errors import PipelineError
from pipelines.plan import StageKind
from pipelines.requisitions import RequisitionStatus

bp = Blueprint("hiring", __name__)

STAFF = (Role.ADMIN, Role.RECRUITER, Role.HIRING_MANAGER)


def _page_size() -> int:
    return int(current_app.config.get("HIRING_PAGE_SIZE", 20))


# --- loading ----------------------------------------------------------------------


def _requisition_or_404(requisition_id: int) -> Requisition:
    requisition = db.session.scalar(
        select(Requisition)
        .where(Requisition.id == requisition_id)
        .options(joinedload(Requisition.hiring_manager), joinedload(Requisition.recruiter))
    )
    if requisition is None or not can_view_requisition(current_user, requisition):
        abort(404)
    return requisition


def _application_or_404(application_id: int) -> Application:
    application = db.session.scalar(
        select(Application)
        .where(Application.id == application_id)
        .options(
            joinedload(Application.candidate),
            joinedload(Application.requisition).joinedload(Requisition.hiring_manager),
            joinedload(Application.requisition).joinedload(Requisition.recruiter),
        )
    )
    if application is None or not can_view_requisition(current_user, application.requisition):
        abort(404)
    return application


def _people_with(role: Role) -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .join(UserRole)
            .where(UserRole.role == role.value, User.active.is_(True))
            .order_by(User.display_name)
        )
    )


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
                names = [boss.name for boss in reports_to_levels(ladder, level.id)]
                boss = f", reports to {' / '.join(names) or level.reports_to.text}"
            choices.append((level.id, f"{family.title} — {level.title} ({grade}{boss})"))
    return choices


def _specialty_choices() -> list[tuple[str, str]]:
    ladder = get_ladder()
    choices = [("", "None")]
    for family in ladder.families:
        for specialty in family.specialties:
            choices.append((specialty.id, f"{specialty.title} ({family.title})"))
    # Specialty ids repeat across families; the service checks the pair.
    seen: dict[str, str] = {}
    for value, label in choices:
        seen.setdefault(value, label.split(" (")[0] if value else label)
    return list(seen.items())


def _fill_requisition_choices(form: RequisitionForm) -> None:
    form.level_id.choices = _level_choices()
    form.specialty_id.choices = _specialty_choices()
    form.hiring_manager_id.choices = [
        (u.id, u.display_name) for u in _people_with(Role.HIRING_MANAGER)
    ]
    form.recruiter_id.choices = [(u.id, u.display_name) for u in _people_with(Role.RECRUITER)]


def _user(user_id: int | None) -> User:
    user = db.session.get(User, user_id) if user_id else None
    if user is None:
        abort(400)
    return user


# --- requisitions -----------------------------------------------------------------


@bp.get("/requisitions")
@roles_required(*STAFF)
def requisitions() -> str:
    form = RequisitionFilterForm(request.args)
    query = select(Requisition).options(
        joinedload(Requisition.hiring_manager), joinedload(Requisition.recruiter)
    )
    if not current_user.has_role(Role.ADMIN, Role.RECRUITER):
        query = query.where(Requisition.hiring_manager_id == current_user.id)
    if form.validate():
        if form.status.data:
            query = query.where(Requisition.status == form.status.data)
        if form.mine.data:
            query = query.where(
                or_(
                    Requisition.hiring_manager_id == current_user.id,
                    Requisition.recruiter_id == current_user.id,
                )
            )
        if form.q.data:
            query = query.where(Requisition.title.ilike(f"%{form.q.data.strip()}%"))
    page = db.paginate(
        query.order_by(Requisition.created_at.desc(), Requisition.id.desc()),
        per_page=_page_size(),
        max_per_page=100,
    )
    ids = [r.id for r in page.items]
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    if ids:
        rows = db.session.execute(
            select(Application.requisition_id, Application.stage_id, func.count())
            .where(
                Application.requisition_id.in_(ids), Application.status == ApplicationStatus.ACTIVE
            )
            .group_by(Application.requisition_id, Application.stage_id)
        )
        for requisition_id, stage_id, count in rows:
            counts[requisition_id][stage_id] = count
    ladder = get_ladder()
    plans = {r.id: hiring.plan_for(r) for r in page.items}
    return render_template(
        "hiring/requisitions.html",
        page=page,
        form=form,
        counts=counts,
        plans=plans,
        ladder=ladder,
        can_create=can_edit_requisition(current_user),
    )


@bp.route("/requisitions/new", methods=["GET", "POST"])
@roles_required(Role.ADMIN, Role.RECRUITER)
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


@bp.route("/requisitions/<int:requisition_id>/edit", methods=["GET", "POST"])
@roles_required(Role.ADMIN, Role.RECRUITER)
def requisition_edit(requisition_id: int) -> ResponseReturnValue:
    requisition = _requisition_or_404(requisition_id)
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


@bp.get("/requisitions/<int:requisition_id>")
@roles_required(*STAFF)
def board(requisition_id: int) -> str:
    requisition = _requisition_or_404(requisition_id)
    plan = hiring.plan_for(requisition)
    applications = db.session.scalars(
        select(Application)
        .where(Application.requisition_id == requisition.id)
        .options(joinedload(Application.candidate))
        .order_by(Application.entered_stage_at)
    ).all()
    # Scorecard status of each application at its current stage, in one query.
    card_rows = db.session.execute(
        select(
            Interview.application_id,
            Interview.stage_id,
            func.count(InterviewInterviewer.user_id.distinct()),
            func.count(Scorecard.submitted_at),
        )
        .join(InterviewInterviewer, InterviewInterviewer.interview_id == Interview.id)
        .outerjoin(
            Scorecard,
            (Scorecard.interview_id == Interview.id)
            & (Scorecard.interviewer_id == InterviewInterviewer.user_id),
        )
        .join(Application, Application.id == Interview.application_id)
        .where(Application.requisition_id == requisition.id)
        .group_by(Interview.application_id, Interview.stage_id)
    )
    scorecards = {(a, s): (n, done) for a, s, n, done in card_rows}
    now = utcnow()
    columns: dict[str, list[Application]] = {stage.id: [] for stage in plan.stages}
    closed: list[Application] = []
    for application in applications:
        if application.status is ApplicationStatus.ACTIVE and application.stage_id in columns:
            columns[application.stage_id].append(application)
        else:
            closed.append(application)
    return render_template(
        "hiring/board.html",
        requisition=requisition,
        plan=plan,
        level=get_ladder().levels_by_id.get(requisition.level_id),
        columns=columns,
        closed=closed,
        scorecards=scorecards,
        days_in_stage=lambda a: (now - a.entered_stage_at).days,
        can_edit=can_edit_requisition(current_user, requisition),
        can_move=can_move_applications(current_user, requisition),
        decline_form=DeclineForm(),
        action_form=AdvanceForm(),
        is_hiring_manager=current_user.id == requisition.hiring_manager_id,
        StageKind=StageKind,
        # Card links are built from this prefix: hundreds of url_for calls otherwise.
        app_prefix=url_for("hiring.application", application_id=0).removesuffix("0"),
    )


# --- candidates -------------------------------------------------------------------


def _cv_store() -> CvStore:
    # Refuses a storage folder inside the static files: CVs are never served directly.
    return CvStore(
        current_app.config["CV_STORAGE_DIR"], web_roots=[Path(current_app.static_folder or "")]
    )


def _store_cv(upload: object) -> hiring.StoredCv | None:
    """Check an uploaded CV by its content and store it; ``CvRejected`` says why not."""
    filename = getattr(upload, "filename", None)
    if not filename:
        return None
    data = upload.read()  # type: ignore[attr-defined]
    kind = sniff_cv(data, filename)
    stored = _cv_store().save(data, filename, kind)
    return hiring.StoredCv(
        key=stored.key, kind=str(kind.value), size=stored.size, sha256=stored.sha256
    )


@bp.route("/requisitions/<int:requisition_id>/candidates/new", methods=["GET", "POST"])
@roles_required(Role.ADMIN, Role.RECRUITER)
def candidate_new(requisition_id: int) -> ResponseReturnValue:
    requisition = _requisition_or_404(requisition_id)
    form = CandidateForm()
    existing: Candidate | None = None
    if form.validate_on_submit():
        try:
            cv = _store_cv(form.cv.data)
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
                    ),
                    actor=current_user,
                    cv=cv,
                )
                application = hiring.open_application(candidate, requisition, actor=current_user)
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
        existing_form=ExistingCandidateForm(candidate_id=existing.id if existing else ""),
    )


@bp.post("/requisitions/<int:requisition_id>/candidates/existing")
@roles_required(Role.ADMIN, Role.RECRUITER)
def candidate_add_existing(requisition_id: int) -> Response:
    requisition = _requisition_or_404(requisition_id)
    form = ExistingCandidateForm()
    if not form.validate_on_submit():
        abort(400)
    candidate = db.session.get(Candidate, int(form.candidate_id.data or 0))
    if candidate is None:
        abort(404)
    try:
        application = hiring.open_application(candidate, requisition, actor=current_user)
    except ServiceError as exc:
        flash(str(exc), "error")
        return redirect(url_for("hiring.board", requisition_id=requisition.id))
    flash(f"{candidate.name} added to the pipeline.", "success")
    return redirect(url_for("hiring.application", application_id=application.id))


@bp.get("/candidates/<int:candidate_id>/cv")
@roles_required(*STAFF, Role.INTERVIEWER)
def candidate_cv(candidate_id: int) -> Response:
    candidate = db.session.get(Candidate, candidate_id)
    if candidate is None:
        abort(404)
    requisitions = list(
        db.session.scalars(
            select(Requisition).join(Application).where(Application.candidate_id == candidate.id)
        )
    )
    interviewing = db.session.scalar(
        select(InterviewInterviewer.user_id)
        .join(Interview, Interview.id == InterviewInterviewer.interview_id)
        .join(Application, Application.id == Interview.application_id)
        .where(
            Application.candidate_id == candidate.id,
            InterviewInterviewer.user_id == current_user.id,
        )
        .limit(1)
    )
    allowed = can_view_cv(current_user, requisitions) or interviewing is not None
    if not allowed or candidate.cv_key is None:
        abort(404)
    kind = CvKind(candidate.cv_kind)
    try:
        path = _cv_store().path(candidate.cv_key)
    except InvalidCvKey:
        abort(404)
    if not path.exists():
        abort(404)
    return send_file(
        path,
        mimetype=kind.content_type,
        as_attachment=True,
        download_name=download_name(candidate.name, kind),
        max_age=0,
    )


# --- applications -----------------------------------------------------------------


@bp.get("/applications/<int:application_id>")
@roles_required(*STAFF)
def application(application_id: int) -> str:
    application = _application_or_404(application_id)
    requisition = application.requisition
    plan = hiring.plan_for(requisition)
    transitions = db.session.scalars(
        select(StageTransition)
        .where(StageTransition.application_id == application.id)
        .options(joinedload(StageTransition.actor))
        .order_by(StageTransition.at, StageTransition.id)
    ).all()
    state = hiring.state_of(application)
    actions = allowed_actions(plan, state)
    stage = plan.stage(application.stage_id)
    check = None
    if application.status is ApplicationStatus.ACTIVE:
        from pipelines.applications import check_stage

        check = check_stage(stage, hiring.evidence_for(application).get(stage.id))
    timeline: list[tuple[datetime, str, object]] = [(t.at, "transition", t) for t in transitions]
    scheduled = {
        i.stage_id: i
        for i in db.session.scalars(
            select(Interview)
            .where(Interview.application_id == application.id)
            .options(selectinload(Interview.interviewers).joinedload(InterviewInterviewer.user))
        )
    }
    submitted_cards = list(
        db.session.scalars(
            select(Scorecard)
            .where(
                Scorecard.interview_id.in_([i.id for i in scheduled.values()] or [0]),
                Scorecard.submitted_at.is_not(None),
            )
            .options(joinedload(Scorecard.interviewer))
        )
    )
    submitted = {(c.interview_id, c.interviewer_id) for c in submitted_cards}
    stage_of = {i.id: i.stage_id for i in scheduled.values()}
    timeline += [(i.created_at, "interview", i) for i in scheduled.values()]
    if application.assessment_sent_at:
        timeline.append((application.assessment_sent_at, "assessment", "sent"))
    if application.assessment_received_at:
        timeline.append((application.assessment_received_at, "assessment", "received"))
    # Who submitted and when, never what: scorecards are read on the feedback page.
    timeline += [
        (c.submitted_at, "scorecard", (stage_of[c.interview_id], c.interviewer.display_name))
        for c in submitted_cards
        if c.submitted_at is not None
    ]
    return render_template(
        "hiring/application.html",
        application=application,
        candidate=application.candidate,
        requisition=requisition,
        plan=plan,
        stage=stage,
        check=check,
        timeline=sorted(timeline, key=lambda item: item[0], reverse=True),
        actions=actions,
        Action=Action,
        StageKind=StageKind,
        can_move=can_move_applications(current_user, requisition),
        is_hiring_manager=current_user.id == requisition.hiring_manager_id,
        advance_form=AdvanceForm(version=str(application.version)),
        decline_form=DeclineForm(version=str(application.version)),
        withdraw_form=WithdrawForm(version=str(application.version)),
        screen_form=ScreenForm(version=str(application.version)),
        reason_in_words=reason_in_words,
        stage_names={s.id: s.name for s in plan.stages},
        scheduled=scheduled,
        submitted=submitted,
    )


def _act(application_id: int, form_class: type, run) -> Response:  # type: ignore[type-arg,no-untyped-def]
    application = _application_or_404(application_id)
    if not can_move_applications(current_user, application.requisition):
        abort(404)
    form = form_class()
    back = request.form.get("back") == "board"
    target = (
        url_for("hiring.board", requisition_id=application.requisition_id)
        if back
        else url_for("hiring.application", application_id=application.id)
    )
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for error in errors:
                flash(error, "error")
        return redirect(target)
    # Read before the service commits (and the session expires the loaded objects).
    application_name = application.candidate.name
    plan = hiring.plan_for(application.requisition)
    try:
        template = run(application, form, int(form.version.data))
        stage_names = {s.id: s.name for s in plan.stages}
        message = template.format(
            name=application_name, stage_name=stage_names.get(application.stage_id, "")
        )
    except (ServiceError, PipelineError) as exc:
        flash(str(exc), "error")
    else:
        flash(message, "success")
    return redirect(target)


@bp.post("/applications/<int:application_id>/advance")
@roles_required(*STAFF)
def advance(application_id: int) -> Response:
    def run(application: Application, form: AdvanceForm, version: int) -> str:
        hiring.advance_application(
            application,
            actor=current_user,
            expected_version=version,
            override_reason=form.override_reason.data or None,
        )
        if application.status is ApplicationStatus.OFFER:
            return "{name}: offer stage reached."
        return "{name} moved to {stage_name}."

    return _act(application_id, AdvanceForm, run)


@bp.post("/applications/<int:application_id>/decline")
@roles_required(*STAFF)
def decline(application_id: int) -> Response:
    def run(application: Application, form: DeclineForm, version: int) -> str:
        hiring.decline_application(
            application,
            actor=current_user,
            reason_code=form.reason.data or "",
            note=form.note.data,
            expected_version=version,
        )
        return "{name} declined."

    return _act(application_id, DeclineForm, run)


@bp.post("/applications/<int:application_id>/withdraw")
@roles_required(*STAFF)
def withdraw(application_id: int) -> Response:
    def run(application: Application, form: WithdrawForm, version: int) -> str:
        hiring.withdraw_application(
            application, actor=current_user, reason=form.reason.data, expected_version=version
        )
        return "{name} withdrawn."

    return _act(application_id, WithdrawForm, run)


@bp.post("/applications/<int:application_id>/screen")
@roles_required(Role.ADMIN, Role.RECRUITER)
def screen(application_id: int) -> Response:
    def run(application: Application, form: ScreenForm, version: int) -> str:
        passed = form.outcome.data == "passed"
        hiring.record_screen_outcome(
            application, passed=passed, actor=current_user, expected_version=version
        )
        return "Screen recorded as passed." if passed else "Screen recorded as not passed."

    return _act(application_id, ScreenForm, run)


@bp.post("/applications/<int:application_id>/references")
@roles_required(*STAFF)
def references(application_id: int) -> Response:
    def run(application: Application, form: ScreenForm, version: int) -> str:
        passed = form.outcome.data == "passed"
        hiring.record_references_outcome(
            application, passed=passed, actor=current_user, expected_version=version
        )
        return "Reference check recorded as passed." if passed else "Reference check not passed."

    return _act(application_id, ScreenForm, run)


@bp.post("/applications/<int:application_id>/hire")
@roles_required(*STAFF)
def hire(application_id: int) -> Response:
    def run(application: Application, form: ActionForm, version: int) -> str:
        hiring.hire_application(application, actor=current_user, expected_version=version)
        return "{name} hired."

    return _act(application_id, ActionForm, run)


# The interview pages live in their own module, on this blueprint.
from app.hiring import interview_routes as _interview_routes  # noqa: E402, F401
