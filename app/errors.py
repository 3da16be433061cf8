"""Friendly error pages (HTML) and JSON errors for the API; 403s and CSRF failures are
recorded in the audit log on the way."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    Flask,
    Response,
    flash,
    g,
    has_request_context,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_limiter import RateLimitExceeded
from flask_wtf.csrf import CSRFError
from sqlalchemy import event
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlalchemy.orm import Session
from werkzeug.exceptions import HTTPException, InternalServerError

from app.accounts.safe_redirect import safe_next
from app.denials import record_csrf_failure, record_forbidden
from app.rate_limits import describe, retry_after

MESSAGES = {
    400: ("Bad request", "The request could not be understood."),
    401: ("Sign-in needed", "Please sign in to continue."),
    403: ("Not allowed", "Your account does not have access to this page."),
    404: ("Not found", "There is nothing here, or you do not have access to it."),
    405: ("Not allowed", "That action is not available here."),
    409: ("Changed meanwhile", "Someone else changed this while you were working on it."),
    413: ("Too large", "The file or form you sent is larger than allowed."),
    429: ("Too many requests", "Please wait a moment and try again."),
    500: ("Something went wrong", "The error has been logged. Please try again later."),
}


def _wants_json() -> bool:
    return request.blueprint == "api" or (
        request.accept_mimetypes.best_match(["application/json", "text/html"]) == "application/json"
    )


def _render(code: int, detail: str | None = None) -> tuple[Response | str, int]:
    title, message = MESSAGES.get(code, ("Error", "The request failed."))
    if _wants_json():
        return jsonify(error={"status": code, "title": title, "detail": detail or message}), code
    return (
        render_template("errors/error.html", code=code, title=title, message=detail or message),
        code,
    )


#: Set on ``g`` once the request has committed a change.
COMMITTED = "hireladder_committed"

SAVED_ANYWAY = (
    "Your change was saved, but the page could not be shown just now. "
    "Reload to see the result; do not send the change again."
)


def _saved_anyway() -> tuple[Response | str, int] | Response:
    """The answer to a request whose change committed before something else failed."""
    if _wants_json():
        return jsonify(saved=True, detail=SAVED_ANYWAY), 200
    flash(SAVED_ANYWAY, "warning")
    came_from = urlsplit(request.referrer or "")
    back = safe_next(came_from.path) if came_from.netloc == request.host else None
    return redirect(back or url_for("main.index"), 303)


@event.listens_for(Session, "after_commit")
def _note_commit(session: Session) -> None:
    """Remember, for this request, that a change is committed (see :func:`_saved_anyway`)."""
    if has_request_context():
        setattr(g, COMMITTED, True)


def init_error_handlers(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def _csrf(error: CSRFError) -> tuple[Response | str, int]:
        record_csrf_failure(error.description or "The CSRF token is not valid.")
        return _render(
            400,
            "The form's security token is missing or has expired. Go back, reload the page "
            "and send it again.",
        )

    @app.errorhandler(RateLimitExceeded)
    def _too_many(error: RateLimitExceeded) -> Response:
        seconds = retry_after(error)
        response = make_response(_render(429, describe(error, seconds)))
        response.headers["Retry-After"] = str(seconds)
        return response

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException) -> tuple[Response | str, int] | HTTPException:
        if error.code is None or error.code < 400:
            return error
        if error.code == 403:
            record_forbidden()
        detail = error.description if error.code in (400, 401, 409, 413) and _wants_json() else None
        if error.code == 400 and error.description != type(error).description:
            detail = error.description  # a message written for this request, e.g. the field
        return _render(error.code, detail)

    @app.errorhandler(DBAPIError)
    def _database(error: DBAPIError) -> tuple[Response | str, int] | Response:
        from app.db import db
        from app.services.errors import is_write_conflict

        try:
            db.session.rollback()
        except SQLAlchemyError:  # the connection is gone; the next use takes a new one
            app.logger.warning("rollback after a database error failed too", exc_info=True)
        if is_write_conflict(error) and not g.get(COMMITTED):
            return _render(
                409,
                "Someone else changed this at the same moment, so your change was not saved. "
                "Reload the page and try again.",
            )
        if g.get(COMMITTED):
            # The change stands; only showing the result failed. A 500 would have the
            # person (or a client) send it again and so write it twice.
            app.logger.warning("database error after the request's commit", exc_info=error)
            return _saved_anyway()
        raise error

    @app.errorhandler(InternalServerError)
    def _server_error(error: InternalServerError) -> tuple[Response | str, int]:
        return _render(500)
