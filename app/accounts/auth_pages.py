"""Sign in, sign out and the account page."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.wrappers import Response

from app import clock
from app.accounts.forms import ChangePasswordForm, CodeForm, ConfirmForm, LoginForm
from app.accounts.safe_redirect import safe_next
from app.routing import Routes
from app.services import accounts, mfa, sessions, sign_in
from app.services.errors import ServiceError
from app.services.mfa_rules import PendingSignIn, read_pending

routes = Routes()


def client_address() -> str:
    # Behind a proxy, configure werkzeug's ProxyFix so remote_addr is the client.
    return request.remote_addr or "unknown"


@routes.route("/login", methods=["GET", "POST"])
def login() -> Response | str:
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = LoginForm()
    if request.method == "GET":
        form.next.data = safe_next(request.args.get("next")) or ""
    if form.validate_on_submit():
        result = sign_in.sign_in(
            form.email.data or "", form.password.data or "", address=client_address()
        )
        if result.second_step and result.user is not None:
            return _await_second_step(
                result.user.id, bool(form.remember.data), safe_next(form.next.data) or ""
            )
        if result.user is None or result.session_token is None:
            form.password.errors.append(result.error or sign_in.GENERIC_FAILURE)
        else:
            session.clear()
            result.user.current_session_token = result.session_token
            login_user(result.user, remember=bool(form.remember.data))
            flash(f"Signed in as {result.user.display_name}.", "success")
            return redirect(safe_next(form.next.data) or url_for("main.index"))
    return render_template("auth/login.html", form=form)


# --- the second step of a two-step sign-in ------------------------------------------

PENDING_KEY = "mfa_pending"


def _await_second_step(user_id: int, remember: bool, next_url: str) -> Response:
    """Keep, in the signed session, who got the password right and when; nothing in it
    lets anyone skip the password, and it expires after MFA_PENDING_LIFETIME."""
    session.clear()
    pending = PendingSignIn(user_id, clock.utcnow(), remember=remember, next_url=next_url)
    session[PENDING_KEY] = pending.as_marker()
    return redirect(url_for("auth.login_verify"))


def _restart_sign_in(message: str, category: str = "info") -> Response:
    session.pop(PENDING_KEY, None)
    flash(message, category)
    return redirect(url_for("auth.login"))


@routes.route("/login/verify", methods=["GET", "POST"])
def login_verify() -> Response | str:
    from app.db import db
    from app.models import User

    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    now = clock.utcnow()
    pending = read_pending(
        session.get(PENDING_KEY), now=now, lifetime=current_app.config["MFA_PENDING_LIFETIME"]
    )
    if pending is None:
        return _restart_sign_in("Your sign-in has expired or was not started: sign in again.")
    user = db.session.get(User, pending.user_id)
    if user is None or not user.active or not mfa.is_enabled(user):
        return _restart_sign_in("Your sign-in could not be completed: sign in again.")
    form = CodeForm()
    if form.validate_on_submit():
        address = client_address()
        refused = sign_in.second_step_throttled(user, address=address, now=now)
        if refused is not None:
            return _restart_sign_in(refused, "error")
        kind = mfa.use_code(user, form.code.data or "", now=now)
        if kind is None:
            sign_in.second_step_failed(user, address=address, now=now)
            refused = sign_in.second_step_throttled(user, address=address, now=now)
            if refused is not None:
                return _restart_sign_in(refused, "error")
            form.code.errors.append(
                "That code is not right, or was used already. Enter the current 6-digit "
                "code from your authenticator app, or one of your recovery codes."
            )
        else:
            result = sign_in.complete_second_step(user, address=address, method=kind, now=now)
            session.clear()
            user.current_session_token = result.session_token
            login_user(user, remember=pending.remember)
            flash(f"Signed in as {user.display_name}.", "success")
            if kind is mfa.CodeKind.RECOVERY_CODE:
                left = mfa.recovery_codes_left(user)
                flash(
                    f"You used a recovery code; {left} left. Make new ones on your account "
                    "page if you are running out.",
                    "warning" if left < 3 else "info",
                )
            return redirect(safe_next(pending.next_url) or url_for("main.index"))
    return render_template("auth/verify.html", form=form)


@routes.post("/logout")
@login_required
def logout() -> Response:
    sessions.sign_out(current_user, current_user.current_session_token)
    logout_user()
    session.clear()
    flash("You are signed out.", "info")
    return redirect(url_for("auth.login"))


@routes.get("/account")
@login_required
def account() -> str:
    return _account_page(ChangePasswordForm())


def _account_page(password_form: ChangePasswordForm) -> str:
    from app.db import db
    from app.ladder_access import get_ladder
    from app.models import User

    manager = db.session.get(User, current_user.manager_id) if current_user.manager_id else None
    levels = get_ladder().levels_by_id
    return render_template(
        "auth/account.html",
        password_form=password_form,
        confirm_form=ConfirmForm(),
        manager=manager,
        mfa_enabled=mfa.is_enabled(current_user),
        ladder_level_title=lambda level_id: (
            levels[level_id].title if level_id in levels else level_id
        ),
    )


@routes.post("/account/password")
@login_required
def change_password() -> Response | str:
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            accounts.change_password(
                current_user,
                form.current_password.data or "",
                form.new_password.data or "",
                actor=current_user,
            )
        except ServiceError as exc:
            form.current_password.errors.append(str(exc))
        else:
            flash("Your password has been changed.", "success")
            return redirect(url_for("auth.account"))
    return _account_page(form)


@routes.post("/account/sign-out-everywhere")
@login_required
def sign_out_everywhere() -> Response:
    form = ConfirmForm()
    if form.validate_on_submit():
        sessions.sign_out_everywhere(current_user, actor=current_user)
        logout_user()
        session.clear()
        flash("You are signed out on every device.", "info")
    return redirect(url_for("auth.login"))
