"""Sign-in session loading, CSRF policy and security headers."""

from __future__ import annotations

from flask import Flask, Request, Response, request
from flask_login import AnonymousUserMixin

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

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def bearer_token(req: Request) -> str | None:
    header = req.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return None


class Anonymous(AnonymousUserMixin):
    def has_role(self, *_roles: object) -> bool:
        return False

    roles: list[object] = []  # noqa: RUF012


def init_security(app: Flask) -> None:
    from app.services import api_tokens, sessions

    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please sign in to see that page."
    login_manager.login_message_category = "info"
    login_manager.anonymous_user = Anonymous
    # The session id in the cookie is checked against the database on every request,
    # which is what makes sign-out and deactivation final.
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def _load_user(session_token: str):  # type: ignore[no-untyped-def]
        return sessions.load_user(session_token)

    @login_manager.request_loader
    def _load_from_request(req: Request):  # type: ignore[no-untyped-def]
        token = bearer_token(req)
        if token is None or req.blueprint != "api":
            return None
        return api_tokens.load_user(token)

    @app.before_request
    def _csrf_protect() -> None:
        if request.method not in UNSAFE_METHODS or not app.config.get("WTF_CSRF_ENABLED", True):
            return
        # Token-authenticated API calls carry no cookie, so there is nothing to forge;
        # everything else, API calls with a session cookie included, needs the token.
        if request.blueprint == "api" and bearer_token(request) is not None:
            return
        csrf.protect()

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
