"""Interviews: scheduling, "My interviews", scorecards, side-by-side feedback, invitations."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from app.accounts.permissions import roles_required
from app.accounts.queries import display_names
from app.clock import utcnow
from app.db import db
from app.denials import deny
from app.fields import VersionField
from app.hiring import ics, queries
from app.hiring import my_interview_queries as mine
from app.hiring.access import application_or_404, interview_or_404
from app.hiring.forms import AmendForm, CancelInterviewForm, ScheduleForm
from app.hiring.permissions import (
    INTERVIEWING,
    STAFF,
    can_move_applications,
    can_view_requisition,
)
from app.inputs import DB_INT_MAX, stored_int
from app.ladder_access import get_ladder
from app.models import Candidate, Scorecard, User
from app.paging import cursor_arg
from app.routing import Routes
from app.services import audit, interviews, invitations, kits
from app.services.errors import ConflictError, ServiceError
from app.services.hiring import plan_for
from pipelines.errors import PipelineError
from pipelines.interview_invitations import skipped_time
from pipelines.kits import LEGEND, MAX_CRITERION_NOTE, SummaryColumn, note_field, summary_matrix
from pipelines.my_interviews import Section, by_day, count_label
from pipelines.plan import StageKind
from pipelines.scorecards import MARK_CHOICES, RATING_CHOICES, Criterion, InvalidScorecardError
from pipelines.timezones import format_local, from_local, is_zone, to_local

routes = Routes()


# --- scheduling -------------------------------------------------------------------


def _zone_of(user: Any) -> str:
    """The zone a user's times are read and shown in."""
    default = current_app.config["DEFAULT_TIMEZONE"]
    zone_name = getattr(user, "timezone", None)
    return zone_name if is_zone(zone_name) else default


def _local_times(
    moment: datetime | None, people: list[User], candidate: Candidate
) -> list[dict[str, str]]:
    """For each interviewer and the candidate: their zone and ``moment`` in it."""
    if moment is None:
        return []
    default = current_app.config["DEFAULT_TIMEZONE"]
    rows = [
        {
            "who": user.display_name,
            "role": "interviewer",
            "zone": _zone_of(user),
            "time": format_local(moment, user.timezone, default),
        }
        for user in people
    ]
    if not candidate.erased:
        zone_name = candidate.timezone if is_zone(candidate.timezone) else default
        rows.append(
            {
                "who": candidate.name,
                "role": "candidate",
                "zone": zone_name,
                "time": format_local(moment, candidate.timezone, default),
            }
        )
    return rows


def _chosen_people(offered: list[User], ids: list[int]) -> list[User]:
    """The people ticked, in the order offered; anyone else ticked (no longer offered, or
    never) is loaded too, so that the scheduling rules refuse them by name. Unknown ids
    are dropped."""
    wanted = {i for i in ids if 0 < i <= DB_INT_MAX}
    chosen = [u for u in offered if u.id in wanted]
    others = wanted - {u.id for u in chosen}
    if others:
        chosen += list(
            db.session.scalars(select(User).where(User.id.in_(others)).order_by(User.id))
        )
    return chosen


@routes.route("/applications/<int:application_id>/interviews/<stage_id>", methods=["GET", "POST"])
@roles_required(*STAFF)
def schedule(application_id: int, stage_id: str) -> ResponseReturnValue:
    application = application_or_404(application_id, current_user)
    requisition = application.requisition
    if not can_move_applications(current_user, requisition):
        abort(404)
    plan = plan_for(requisition)
    if stage_id not in plan.stage_ids:
        abort(404)
    stage = plan.stage(stage_id)
    if not stage.uses_scorecards:
        abort(404)
    existing = queries.stage_interview(application.id, stage.id)
    options = interviews.interviewer_options(stage, requisition)
    people = [option.user for option in options]
    candidate = application.candidate
    my_zone = _zone_of(current_user)
    default_zone = current_app.config["DEFAULT_TIMEZONE"]
    invited = existing is not None and invitations.candidate_invited(existing.id)
    form = ScheduleForm()
    form.interviewers.choices = [
        (
            o.user.id,
            f"{o.user.display_name} — {o.level_title}" if o.level_title else o.user.display_name,
        )
        for o in options
    ]
    # Someone not offered is refused by the scheduling rules, by name (not "Not a valid
    # choice"): the page may be stale, or the post hand-made.
    form.interviewers.validate_choice = False
    form.starts_at.description = f"Your time, {my_zone}. Leave empty to schedule later."
    shown_time = None
    if existing is not None and existing.cancelled_at is None:
        shown_time = existing.starts_at
    if request.method == "GET":
        if existing is not None:
            form.interviewers.data = [i.user_id for i in existing.interviewers]
            form.starts_at.data = (
                to_local(existing.starts_at, my_zone, default_zone).replace(tzinfo=None)
                if existing.starts_at
                else None
            )
            form.location.data = existing.location
            form.version.data = str(existing.version)
        elif stage.kind in (StageKind.HIRING_MANAGER, StageKind.PANEL):
            form.interviewers.data = [requisition.hiring_manager_id]
    status = 200
    if form.validate_on_submit():
        chosen = _chosen_people(people, form.interviewers.data or [])
        starts = None
        typed = form.starts_at.data
        if typed is not None and skipped_time(typed, my_zone, default_zone):
            form.starts_at.errors = [
                *form.starts_at.errors,
                f"{typed:%H:%M} on {typed:%a %-d %b %Y} does not exist in {my_zone}: the "
                "clocks go forward that night. Choose another time.",
            ]
        elif typed is not None:
            starts = from_local(typed, my_zone, default_zone)
        if form.starts_at.errors:
            status = 422
        elif request.form.get("preview"):
            # Only the local times are shown; nothing is saved.
            shown_time = starts
        else:
            version = form.version.data
            try:
                interviews.schedule_interview(
                    application,
                    stage_id=stage.id,
                    interviewers=chosen,
                    starts_at=starts,
                    location=form.location.data,
                    actor=current_user,
                    invite_candidate=bool(form.invite_candidate.data),
                    expected_version=int(version) if version else None,
                )
            except interviews.CandidateInvitationError as exc:
                form.invite_candidate.errors = [*form.invite_candidate.errors, str(exc)]
                status = 422
            except ConflictError as exc:
                flash(str(exc), "error")
                status = 409
            except (ServiceError, PipelineError) as exc:
                form.interviewers.errors = [*form.interviewers.errors, str(exc)]
                status = 422
            else:
                when = f" for {format_local(starts, my_zone)}" if starts else ""
                flash(f"{stage.name} scheduled{when}.", "success")
                return redirect(url_for("hiring.application", application_id=application.id))
    elif form.is_submitted():
        status = 422
    panel_hint = None
    if stage.kind is StageKind.PANEL:
        panel_hint = "The panel is usually the hiring manager and two team members."
    if stage.kind is StageKind.EXECUTIVE and not people:
        level = get_ladder().levels_by_id.get(stage.level or "")
        panel_hint = (
            f"Nobody here holds the level {level.title if level else stage.level} that "
            "conducts this stage; an admin sets people's levels."
        )
    chosen_ids = set(form.interviewers.data or [])
    cancellable = (
        existing is not None
        and existing.cancelled_at is None
        and not queries.submitted_scorecards([existing.id])
    )
    return render_template(
        "hiring/schedule.html",
        form=form,
        application=application,
        candidate=candidate,
        stage=stage,
        existing=existing,
        hint=panel_hint,
        suggested_ids={o.user.id for o in options if o.suggested},
        my_zone=my_zone,
        local_times=_local_times(shown_time, [u for u in people if u.id in chosen_ids], candidate),
        shown_time=shown_time,
        candidate_invited=invited,
        cancellable=cancellable,
        cancel_form=CancelInterviewForm(version=str(existing.version) if existing else ""),
    ), status


@routes.post("/interviews/<int:interview_id>/cancel")
@roles_required(*STAFF)
def cancel(interview_id: int) -> Response:
    """Call an interview off (no scorecard submitted yet); the interviewers are told."""
    interview, application = interview_or_404(interview_id, current_user)
    if not can_move_applications(current_user, application.requisition):
        abort(404)
    back = url_for("hiring.application", application_id=application.id)
    form = CancelInterviewForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for error in errors:
                flash(error, "error")
        return redirect(back)
    stage_name = plan_for(application.requisition).stage(interview.stage_id).name
    try:
        interviews.cancel_interview(
            interview,
            application,
            actor=current_user,
            expected_version=int(form.version.data or -1),
        )
    except ServiceError as exc:
        flash(str(exc), "error")
    else:
        flash(f"{stage_name} cancelled; the interviewers are told.", "success")
    return redirect(back)


# --- interviewers -----------------------------------------------------------------


@routes.get("/my-interviews")
@roles_required(*INTERVIEWING)
def my_interviews() -> str:
    """The user's interviews in four sections, each a page of rows with its count; one
    section (``?section=``) may be opened further (``?after=``). Upcoming interviews and
    scorecards to write are grouped by day on the user's clock."""
    opened = _opened_section()
    after = cursor_arg("after") if opened is not None else None
    now = utcnow()
    zone, default_zone = _zone_of(current_user), current_app.config["DEFAULT_TIMEZONE"]
    per_page = int(current_app.config["MY_INTERVIEWS_PER_SECTION"])
    count_of = mine.counts(current_user.id, now)
    sections = []
    for section in Section:
        page = mine.section_page(
            current_user.id,
            section,
            now,
            per_page=per_page,
            after=after if section is opened else None,
        )
        entries = [_entry(row, now) for row in page.rows]
        days = None
        if section in (Section.TO_SCORE, Section.UPCOMING):
            days = by_day(
                entries,
                lambda e: (
                    to_local(e["interview"].starts_at, zone, default_zone)
                    if e["interview"].starts_at is not None
                    else None
                ),
            )
        sections.append(
            {
                "id": section.value,
                "title": section.heading,
                "count": count_of[section],
                "count_label": count_label(section, count_of[section], mine.COUNT_CAP),
                "entries": entries,
                "days": days,
                "more_after": page.more_after,
                "opened": section is opened and after is not None,
            }
        )
    return render_template("hiring/my_interviews.html", sections=sections)


def _opened_section() -> Section | None:
    raw = request.args.get("section", "")
    if raw == "":
        if request.args.get("after"):
            abort(400, description="A list position (?after=) needs its section (?section=).")
        return None
    try:
        return Section(raw)
    except ValueError:
        abort(
            400,
            description=f"My interviews has no section '{raw[:50]}' (?section=); its sections "
            f"are {', '.join(s.value for s in Section)}.",
        )


def _entry(row: mine.Row, now: datetime) -> dict[str, Any]:
    interview, application = row.interview, row.application
    plan = plan_for(application.requisition)
    return {
        "interview": interview,
        "application": application,
        "has_draft": row.card_id is not None,
        "submitted_at": row.submitted_at,
        "overdue": not row.submitted and interviews.is_overdue(interview, now),
        "stage_name": plan.stage(interview.stage_id).name
        if interview.stage_id in plan.stage_ids
        else interview.stage_id,
    }


def _ratings_from(form_data: dict[str, str], criteria: tuple) -> dict[str, str]:  # type: ignore[type-arg]
    return {c.id: form_data.get(f"rating-{c.id}", "") for c in criteria}


@routes.route("/interviews/<int:interview_id>/scorecard", methods=["GET", "POST"])
@roles_required(*INTERVIEWING)
def scorecard(interview_id: int) -> ResponseReturnValue:
    interview, application = interview_or_404(interview_id, current_user)
    if not interviews.is_assigned(interview, current_user.id):
        deny("interview", interview_id)
    criteria = interviews.criteria_of(interview, application)
    card = queries.own_scorecard(interview.id, current_user.id)
    problems: dict[str, str] = {}
    values = dict(card.ratings) if card else {}
    recommendation = card.recommendation if card else None
    notes = card.notes if card else ""
    criterion_notes: dict[str, str] = dict(card.criterion_notes or {}) if card else {}
    if request.method == "POST":
        values = _ratings_from(request.form.to_dict(), criteria)
        criterion_notes = {c.id: request.form.get(f"note-{c.id}", "") for c in criteria}
        recommendation = request.form.get("recommendation") or None
        notes = request.form.get("notes", "")
        submit = request.form.get("action") == "submit"
        version = request.form.get("version", "").strip()
        if version and stored_int(version) is None:
            abort(400, description=VersionField.MESSAGE)
        try:
            interviews.save_scorecard(
                interview,
                application,
                interviewer=current_user,
                ratings=values,
                recommendation=recommendation,
                notes=notes,
                submit=submit,
                expected_version=int(version) if version else None,
                criterion_notes=criterion_notes,
            )
        except InvalidScorecardError as exc:
            problems = {p.field: p.message for p in exc.problems}
            flash("The scorecard is not complete yet; see the marked fields.", "error")
        except ConflictError as exc:
            flash(str(exc), "error")
        except ServiceError as exc:
            flash(str(exc), "error")
        else:
            if submit:
                flash(
                    "Scorecard submitted. You can now see the other interviewers' feedback.",
                    "success",
                )
                return redirect(url_for("hiring.feedback", application_id=application.id))
            flash("Draft saved.", "success")
            return redirect(url_for("hiring.scorecard", interview_id=interview.id))
    amendments = []
    if card is not None and card.submitted_at is not None:
        amendments = queries.amendments(card.id)
    stage = plan_for(application.requisition).stage(interview.stage_id)
    return render_template(
        "hiring/scorecard.html",
        interview=interview,
        application=application,
        candidate=application.candidate,
        stage=stage,
        criteria=criteria,
        card=card,
        values=values,
        recommendation=recommendation,
        notes=notes,
        criterion_notes=criterion_notes,
        questions=kits.stage_questions(application.requisition, interview.stage_id),
        note_field=note_field,
        max_note=MAX_CRITERION_NOTE,
        problems=problems,
        rating_choices=RATING_CHOICES,
        mark_choices=MARK_CHOICES,
        amend_form=AmendForm(),
        amendments=amendments,
    ), (422 if problems else 200)


@routes.post("/interviews/<int:interview_id>/scorecard/amend")
@roles_required(*INTERVIEWING)
def amend(interview_id: int) -> Response:
    interview, _application = interview_or_404(interview_id, current_user)
    card = queries.own_scorecard(interview.id, current_user.id)
    if card is None:
        abort(404)
    form = AmendForm()
    if form.validate_on_submit():
        try:
            interviews.amend_scorecard(card, author=current_user, text=form.text.data or "")
        except ServiceError as exc:
            flash(str(exc), "error")
        else:
            flash("Amendment added.", "success")
    else:
        flash("Write the amendment.", "error")
    return redirect(url_for("hiring.scorecard", interview_id=interview.id))


@routes.get("/applications/<int:application_id>/feedback")
@roles_required(*INTERVIEWING)
def feedback(application_id: int) -> str:
    """Submitted scorecards side by side per stage, under the blind-feedback rule."""
    application = queries.application(application_id)
    if application is None:
        abort(404)
    assigned = queries.is_interviewer_of(current_user.id, application.id)
    if not assigned and not can_view_requisition(current_user, application.requisition):
        deny("application", application_id)
    own_pending = interviews.has_unsubmitted(current_user, application)
    visible = interviews.scorecards_visible_to(current_user, application, pending=own_pending)
    interview_stage = queries.interview_stages(application.id)
    by_stage: dict[str, list[Scorecard]] = {}
    for card in visible:
        if card.submitted_at is not None:
            by_stage.setdefault(interview_stage[card.interview_id], []).append(card)
    names = display_names([c.interviewer_id for c in visible])
    plan = plan_for(application.requisition)
    sections = []
    summary_stages: list[tuple[str, tuple[Criterion, ...]]] = []
    summary_columns: list[SummaryColumn] = []
    for stage in plan.stages:
        cards = by_stage.get(stage.id)
        if not cards:
            continue
        criteria, table = interviews.side_by_side_for(application, stage.id, cards)
        notes_of = {c.interviewer_id: dict(c.criterion_notes or {}) for c in cards}
        sections.append({"stage": stage, "cards": cards, "table": table, "notes": notes_of})
        summary_stages.append((stage.id, criteria))
        summary_columns.extend(
            SummaryColumn(
                col.interviewer_id,
                stage.id,
                col.ratings,
                col.recommendation,
                notes_of.get(col.interviewer_id, {}),
            )
            for col in table.columns
        )
    summary = summary_matrix(summary_stages, summary_columns) if summary_columns else None
    html = render_template(
        "hiring/feedback.html",
        application=application,
        candidate=application.candidate,
        sections=sections,
        summary=summary,
        stage_names={stage.id: stage.name for stage in plan.stages},
        legend=LEGEND,
        names=names,
        own_pending=own_pending,
        blind=assigned and not sections and own_pending,
        rating_labels=dict(RATING_CHOICES),
        mark_labels=dict(MARK_CHOICES),
    )
    # The interviewers' notes are written about the candidate: the read is audited.
    audit.record_read(
        audit.CANDIDATE_FEEDBACK_VIEW,
        actor=current_user,
        channel="web",
        object_type="candidate",
        object_id=application.candidate_id,
        summary={
            "application_id": application_id,
            "scorecards": sum(len(section["cards"]) for section in sections),
        },
    )
    return html


@routes.get("/interviews/<int:interview_id>/invite.ics")
@roles_required(*INTERVIEWING)
def invitation(interview_id: int) -> Response:
    """The interview's calendar file as it is now (a cancellation once it is cancelled)."""
    interview, application = interview_or_404(interview_id, current_user)
    if interview.starts_at is None:
        abort(404)
    text = invitations.calendar_file(interview, application, utcnow())
    method = ics.CANCEL if interview.cancelled_at is not None else ics.REQUEST
    return Response(
        text,
        content_type=ics.content_type(method),
        headers={
            "Content-Disposition": (
                f'attachment; filename="{invitations.filename_of(interview.id)}"'
            ),
            "Cache-Control": "no-store",
        },
    )
