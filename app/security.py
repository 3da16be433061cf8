"""Sign-in session loading, CSRF policy and security headers."""

from __future__ import annotations

from flask import Flask, Request, Response, current_app, flash, g, redirect, request, url_for
from flask_login import AnonymousUserMixin, current_user

from app.extensions import csrf, login_manager

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}

#: What a user who must replace a password someone else chose may still reach.
PASSWORD_CHANGE_ALLOWED = frozenset(
    {"auth.new_password", "auth.logout", "static", "main.health"}
)

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
#: Where the JSON API is served (app/__init__.py); a path there that names no endpoint
#: answers 404 or 405, not a CSRF failure.
API_PREFIX = "/api/"


def bearer_token(req: Request) -> str | None:
    header = req.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return None


def client_address() -> str:
    """The request's source address (behind a proxy, configure werkzeug's ProxyFix)."""
    return request.remote_addr or "unknown"


def check_csrf() -> None:
    """Refuse (400) a state change without the form's CSRF token, unless CSRF is off."""
    if request.method in UNSAFE_METHODS and current_app.config.get("WTF_CSRF_ENABLED", True):
        csrf.protect()


class Anonymous(AnonymousUserMixin):
    def has_role(self, *_roles: object) -> bool:
        return False

    roles: list[object] = []  # noqa: RUF012


def init_security(app: Flask) -> None:
    from app.services import api_tokens, sessions
    from app.services.session_policy import REASONS, in_words

    login_manager.login_view = "auth.login"
    login_manager.anonymous_user = Anonymous
    # The session id in the cookie is checked against the database on every request,
    # which is what makes sign-out and deactivation final.
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def _load_user(session_token: str):  # type: ignore[no-untyped-def]
        outcome = sessions.check(session_token)
        if outcome.ended is not None:
            cfg = app.config
            g.session_ended = REASONS[outcome.ended].format(
                idle=in_words(cfg["SESSION_IDLE_TIMEOUT"]),
                limit=in_words(
                    cfg["SESSION_REMEMBER_LIFETIME"]
                    if outcome.remembered
                    else cfg["SESSION_ABSOLUTE_LIFETIME"]
                ),
            )
        return outcome.user

    @login_manager.unauthorized_handler
    def _sign_in_first() -> Response:
        """To the sign-in page, saying why: the page needs it, or the session ended."""
        if request.blueprint == "api":
            from flask import abort

            abort(401, description="Send an API token as 'Authorization: Bearer <token>'.")
        flash(g.get("session_ended") or "Please sign in to see that page.", "info")
        target = request.full_path.rstrip("?") if request.method == "GET" else None
        return redirect(url_for("auth.login", next=target))

    @app.before_request
    def _password_change_first() -> Response | None:
        """A password someone else chose must be replaced before anything else."""
        if request.endpoint in PASSWORD_CHANGE_ALLOWED or request.endpoint is None:
            return None
        user = current_user
        if not user.is_authenticated or not getattr(user, "must_change_password", False):
            return None
        if request.blueprint == "api" and bearer_token(request) is not None:
            return None
        if request.blueprint == "api":
            from flask import abort

            abort(403, description="Choose a new password on the account page first.")
        flash("Choose a password of your own before you go on.", "info")
        return redirect(url_for("auth.new_password"))

    @login_manager.request_loader
    def _load_from_request(req: Request):  # type: ignore[no-untyped-def]
        token = bearer_token(req)
        if token is None or req.blueprint != "api":
            return None
        return api_tokens.load_user(token, address=req.remote_addr)

    @app.before_request
    def _csrf_protect() -> None:
        # The API checks it itself, once it knows who is calling (app/api/auth.py): a call
        # without credentials answers 401, and a session-cookie call needs the token.
        if request.blueprint == "api" or request.path.startswith(API_PREFIX):
            return
        check_csrf()

    @app.after_request
    def _security_headers(response: Response) -> Response:
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        if app.config.get("SESSION_COOKIE_SECURE"):
            response.headers.setdefault(
                "Strict-Transport-Security", "max-age=31536000; includeSubDomains"
            )
        if request.endpoint != "static":
            # Default-deny: pages, JSON, CVs, PDFs and exports hold personal data, so no
            # cache may keep them unless the view says otherwise (public role
            # descriptions do). Static files keep their own revalidation.
            response.headers.setdefault("Cache-Control", "no-store")
        return response
