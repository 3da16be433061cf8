"""Friendly error pages (HTML) and JSON errors for the API; 403s and CSRF failures are
recorded in the audit log on the way."""

from __future__ import annotations

from flask import Flask, Response, jsonify, make_response, render_template, request
from flask_limiter import RateLimitExceeded
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException, InternalServerError

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

    @app.errorhandler(OperationalError)
    def _locked(error: OperationalError) -> tuple[Response | str, int]:
        from app.db import db
        from app.services.errors import is_write_conflict

        db.session.rollback()
        if is_write_conflict(error):
            return _render(
                409,
                "Someone else changed this at the same moment, so your change was not saved. "
                "Reload the page and try again.",
            )
        raise error

    @app.errorhandler(InternalServerError)
    def _server_error(error: InternalServerError) -> tuple[Response | str, int]:
        return _render(500)
