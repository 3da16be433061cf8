"""The debrief page: every rating beside the others, and the hiring manager's decision.

``GET/POST /hiring/applications/<id>/debrief``. The requisition's hiring manager and
admins see the matrix and decide; the requisition's recruiter reads it (the form is not
shown, and a POST is a 403); anyone else gets a 404. The page shows the interviewers'
notes, so each read is audited.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from app.accounts.permissions import roles_required
from app.denials import deny
from app.hiring import queries
from app.hiring.forms import DecisionForm
from app.hiring.permissions import INTERVIEWING
from app.models import Application
from app.routing import Routes
from app.services import debrief, decisions
from app.services.errors import ConflictError, ServiceError
from ladder.model import KIND_LABELS, KINDS
from pipelines.applications import ApplicationStatus
from pipelines.debrief import RowFlag
from pipelines.leveling import MAX_RATIONALE, Outcome
from pipelines.scorecards import MARK_CHOICES, RATING_CHOICES

routes = Routes()


def debrief_application_or_404(application_id: int) -> Application:
    """The application, for those who may see its debrief (404 for anyone else)."""
    application = queries.application(application_id)
    if application is None:
        abort(404)
    if not debrief.may_view(current_user, application.requisition):
        deny("application", application_id)
    return application


def _levels_form(form: DecisionForm, view: debrief.Debrief) -> None:
    form.level_id.choices = [(c.level.id, c.level.title) for c in view.choices]


def _fill(form: DecisionForm, view: debrief.Debrief) -> None:
    """A new form: the recorded decision if any, else hire at the requisition's level (or
    the level ``?level=`` names, to read its diff)."""
    decision = view.decision
    asked = request.args.get("level", "")
    if decision is not None:
        form.outcome.data = decision.outcome.value
        form.level_id.data = decision.level_id or view.requisition.level_id
        form.rationale.data = decision.rationale or ""
        form.version.data = str(decision.version)
    else:
        form.level_id.data = view.requisition.level_id
    if view.choice(asked) is not None:
        form.outcome.data = form.outcome.data or Outcome.HIRE.value
        form.level_id.data = asked


def _may_change(view: debrief.Debrief) -> bool:
    """Whether the decision can still be recorded or changed (shown as a form)."""
    return (
        decisions.may_decide(current_user, view.requisition)
        and view.readiness.ready
        and view.application.status is ApplicationStatus.ACTIVE
    )


def _page(
    view: debrief.Debrief, form: DecisionForm, *, error: str | None = None, status: int = 200
) -> ResponseReturnValue:
    chosen = form.level_id.data if form.outcome.data != Outcome.NO_HIRE.value else None
    html = render_template(
        "hiring/debrief.html",
        view=view,
        application=view.application,
        candidate=view.application.candidate,
        requisition=view.requisition,
        matrix=view.matrix,
        summary=view.matrix.summary if view.matrix is not None else None,
        form=form,
        error=error,
        can_decide=decisions.may_decide(current_user, view.requisition),
        may_change=_may_change(view),
        chosen_level=chosen,
        RowFlag=RowFlag,
        Outcome=Outcome,
        rating_labels=dict(RATING_CHOICES),
        mark_labels={**dict(MARK_CHOICES), "not_asked": "not asked"},
        kinds=KINDS,
        kind_labels=KIND_LABELS,
        max_rationale=MAX_RATIONALE,
    )
    debrief.audit_read(view, current_user, channel="web")
    return html, status


@routes.route("/applications/<int:application_id>/debrief", methods=["GET", "POST"])
@roles_required(*INTERVIEWING)
def debrief_page(application_id: int) -> ResponseReturnValue:
    application = debrief_application_or_404(application_id)
    if request.method == "POST" and not decisions.may_decide(current_user, application.requisition):
        abort(403)
    view = debrief.load_debrief(application)
    form = DecisionForm()
    _levels_form(form, view)
    if request.method == "GET":
        _fill(form, view)
        return _page(view, form)
    if not form.validate_on_submit():
        return _page(view, form, status=422)
    outcome = form.outcome.data
    level_id = (form.level_id.data or None) if outcome == Outcome.HIRE.value else None
    name = application.candidate.name
    try:
        decision = debrief.decide(
            application,
            actor=current_user,
            outcome=outcome,
            level_id=level_id,
            rationale=form.rationale.data,
            expected_version=int(form.version.data) if form.version.data else None,
        )
    except debrief.DecisionFieldError as exc:
        getattr(form, exc.field).errors = [*getattr(form, exc.field).errors, str(exc)]
        return _page(view, form, status=422)
    except ConflictError as exc:
        # Someone decided meanwhile: show their decision, keep what was typed, and take
        # the current version so that submitting again replaces it knowingly.
        view = debrief.load_debrief(debrief_application_or_404(application_id))
        form.version.data = str(view.decision.version) if view.decision is not None else ""
        return _page(view, form, error=str(exc), status=409)
    except ServiceError as exc:
        return _page(view, form, error=str(exc), status=409)
    if decision.outcome is Outcome.NO_HIRE:
        flash(f"Decision recorded: no hire. {name}'s application is declined.", "success")
    else:
        flash(f"Decision recorded: hire {name}.", "success")
    return redirect(url_for("hiring.debrief_page", application_id=application_id))
