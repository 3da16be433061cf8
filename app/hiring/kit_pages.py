"""The interview kit page: questions to ask per criterion, for each interview stage of a
requisition.

``GET/POST /hiring/requisitions/<id>/kit``. Admins, the requisition's hiring manager and
its recruiter read and write it; anyone else gets a 404 (interviewers read the questions on
their scorecards). A POST saves (``action=save``, version-checked) or fills the form from
another requisition of the same level (``action=copy``, nothing saved until Save).
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from app.accounts.permissions import roles_required
from app.denials import deny
from app.fields import VersionField
from app.hiring import queries
from app.hiring.permissions import INTERVIEWING
from app.inputs import stored_int
from app.models import Requisition
from app.routing import Routes
from app.services import kits
from app.services.errors import ConflictError, ServiceError
from pipelines.kits import (
    MAX_QUESTION_LENGTH,
    MAX_QUESTIONS,
    kit_from_stored,
    parse_questions,
    questions_problem,
    questions_text,
)

routes = Routes()


def kit_requisition_or_404(requisition_id: int) -> Requisition:
    requisition = queries.requisition(requisition_id)
    if requisition is None:
        abort(404)
    if not kits.may_edit_kit(current_user, requisition):
        deny("requisition", requisition_id)
    return requisition


def field_name(stage_id: str, criterion_id: str) -> str:
    return f"q-{stage_id}-{criterion_id}"


def _texts(view: kits.KitView, questions: kits.Kit) -> dict[str, str]:
    """``{field name: the questions one per line}`` for every criterion of every stage."""
    return {
        field_name(s.stage.id, c.id): questions_text(questions.get(s.stage.id, {}).get(c.id, ()))
        for s in view.stages
        for c in s.criteria
    }


def _typed(view: kits.KitView) -> tuple[dict[str, str], dict[str, dict[str, tuple[str, ...]]]]:
    """The form's text per field, and the questions it holds."""
    texts: dict[str, str] = {}
    questions: dict[str, dict[str, tuple[str, ...]]] = {}
    for s in view.stages:
        for c in s.criteria:
            name = field_name(s.stage.id, c.id)
            texts[name] = request.form.get(name, "")
            parsed = parse_questions(texts[name])
            if parsed:
                questions.setdefault(s.stage.id, {})[c.id] = parsed
    return texts, questions


def _version() -> int | None:
    raw = request.form.get("version", "").strip()
    if not raw:
        return None
    version = stored_int(raw)
    if version is None:
        abort(400, description=VersionField.MESSAGE)
    return version


def _page(
    view: kits.KitView,
    texts: dict[str, str],
    *,
    version: str,
    problems: dict[str, str] | None = None,
    error: str | None = None,
    notice: str | None = None,
    theirs: dict[str, str] | None = None,
    copied_from: int | None = None,
    status: int = 200,
) -> ResponseReturnValue:
    return render_template(
        "hiring/kit.html",
        view=view,
        requisition=view.requisition,
        texts=texts,
        version=version,
        problems=problems or {},
        error=error,
        notice=notice,
        theirs=theirs or {},
        copied_from=copied_from,
        sources=kits.copy_sources(view.requisition),
        field_name=field_name,
        max_questions=MAX_QUESTIONS,
        max_length=MAX_QUESTION_LENGTH,
    ), status


@routes.route("/requisitions/<int:requisition_id>/kit", methods=["GET", "POST"])
@roles_required(*INTERVIEWING)
def kit(requisition_id: int) -> ResponseReturnValue:
    requisition = kit_requisition_or_404(requisition_id)
    view = kits.load_kit(requisition)
    if request.method == "GET":
        return _page(view, _texts(view, view.questions), version=view.version)
    action = request.form.get("action", "")
    if action not in ("save", "copy"):
        abort(400, description="Choose Save, or a requisition to copy the questions from.")
    expected = _version()
    texts, typed = _typed(view)
    shown_version = "" if expected is None else str(expected)
    if action == "copy":
        raw = request.form.get("source", "").strip()
        source_id = stored_int(raw)
        try:
            copied = kits.copy_kit(view, source_id or 0, typed)
        except ServiceError as exc:
            return _page(
                view, texts, version=shown_version, problems={"source": str(exc)}, status=422
            )
        left = (
            f" {copied.left_behind} question list{'s' if copied.left_behind != 1 else ''} for "
            "criteria this requisition does not rate were left out."
            if copied.left_behind
            else ""
        )
        notice = (
            f"Copied the questions of {copied.copied} criteri"
            f"{'on' if copied.copied == 1 else 'a'} from {copied.source.title}.{left} Nothing "
            "is saved yet: review them and save."
        )
        return _page(
            view,
            _texts(view, copied.questions),
            version=shown_version,
            notice=notice,
            copied_from=copied.source.requisition_id,
        )
    problems = {
        name: problem
        for name, text in texts.items()
        if (problem := questions_problem(parse_questions(text)))
    }
    if problems:
        return _page(view, texts, version=shown_version, problems=problems, status=422)
    # Recorded only when it names a requisition the questions could have come from.
    copied_from = stored_int(request.form.get("copied_from", ""))
    if copied_from is not None and copied_from not in {
        s.requisition_id for s in kits.copy_sources(requisition)
    }:
        copied_from = None
    try:
        kits.save_kit(
            view,
            typed,
            actor=current_user,
            expected_version=expected,
            copied_from=copied_from,
        )
    except ConflictError as exc:
        # Saved meanwhile: keep what was typed, show what is saved now, and take the
        # current version so that saving again replaces it knowingly.
        current = kits.load_kit(queries.requisition(requisition_id) or requisition)
        saved = _texts(current, kit_from_stored(current.kit.questions if current.kit else {}))
        theirs = {name: text for name, text in saved.items() if text != texts.get(name, "")}
        return _page(
            current, texts, version=current.version, error=str(exc), theirs=theirs, status=409
        )
    flash(f"Interview kit saved for {requisition.title}.", "success")
    return redirect(url_for("hiring.kit", requisition_id=requisition.id))
