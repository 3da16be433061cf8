"""Pages for candidates, who have no account: the written assessment behind its private link."""

from __future__ import annotations

from flask import abort, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from werkzeug.wrappers import Response

from app.clock import utcnow
from app.hiring import queries
from app.hiring.forms import answers_form
from app.models import AssessmentInvitation
from app.routing import Routes
from app.services import assessments
from pipelines.assessment import InvitationStatus

routes = Routes()


@routes.after_request
def _private(response: Response) -> Response:
    # The URL is the credential: keep it out of caches, referrers and search engines.
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _received(invitation: AssessmentInvitation, title: str) -> str:
    return render_template(
        "assessment/received.html",
        title=title,
        invitation=invitation,
        candidate_zone=queries.candidate_zone(invitation.application_id),
    )


def _closed(title: str, message: str) -> tuple[str, int]:
    return render_template("assessment/closed.html", title=title, message=message), 410


@routes.route("/<token>", methods=["GET", "POST"])
def answer(token: str) -> ResponseReturnValue:
    invitation = assessments.load_invitation(token)
    if invitation is None:
        abort(404)
    title = assessments.role_title(invitation)
    status = assessments.invitation_status(invitation, utcnow())
    if status is InvitationStatus.ANSWERED:
        return _received(invitation, title)
    if status is InvitationStatus.EXPIRED:
        return _closed(
            title,
            "This link has expired. Please contact the recruiter who sent it to you; "
            "they can send you a new one.",
        )
    if status is InvitationStatus.CLOSED:
        return _closed(
            title,
            "This written assessment is no longer open. Please contact the recruiter who "
            "sent it to you if you have questions.",
        )
    questions = list(invitation.questions)
    form = answers_form(len(questions))
    if form.validate_on_submit():
        try:
            assessments.submit_answers(invitation, [f.data or "" for f in form.answers()])
        except assessments.AlreadyAnsweredError:
            return _received(invitation, title)
        except assessments.InvitationClosedError as exc:
            return _closed(title, str(exc))
        except assessments.AnswersRejected as exc:
            fields = form.answers()
            for index, message in exc.problems.items():
                if index < len(fields):
                    fields[index].errors = [*fields[index].errors, message]
        else:
            return redirect(url_for("assessment.answer", token=token), code=303)
    return render_template(
        "assessment/answer.html",
        title=title,
        form=form,
        items=list(zip(questions, form.answers(), strict=True)),
        invitation=invitation,
        # Times on the candidate's pages are in the zone the candidate gave.
        candidate_zone=queries.candidate_zone(invitation.application_id),
        max_length=assessments.MAX_ANSWER_LENGTH,
    )
