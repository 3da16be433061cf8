"""Sign in, sign out, the account page (password, sessions) and password reset links
(asked for by e-mail on the sign-in page, or printed by an admin)."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.wrappers import Response

from app import clock
from app.accounts.forms import (
    ChangePasswordForm,
    CodeForm,
    ConfirmForm,
    ForgotPasswordForm,
    LoginForm,
    NewPasswordForm,
)
from app.accounts.safe_redirect import safe_next
from app.rate_limits import sign_in as sign_in_limit
from app.routing import Routes
from app.services import accounts, mfa, password_resets, sessions, sign_in
from app.services.errors import ServiceError
from app.services.mfa_rules import PendingSignIn, read_pending
from app.services.session_policy import browser_name, in_words

routes = Routes()

#: Sent with every sign-out: the browser drops this site's cookies, storage and cache.
CLEAR_SITE_DATA = '"cache", "cookies", "storage"'


def client_address() -> str:
    # Behind a proxy, configure werkzeug's ProxyFix so remote_addr is the client.
    return request.remote_addr or "unknown"


@routes.route("/login", methods=["GET", "POST"])
@sign_in_limit
def login() -> Response | str:
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = LoginForm()
    if request.method == "GET":
        form.next.data = safe_next(request.args.get("next")) or ""
        if request.args.get("signed_out"):
            flash("You are signed out.", "info")
    if form.validate_on_submit():
        remember = bool(form.remember.data)
        result = sign_in.sign_in(
            form.email.data or "",
            form.password.data or "",
            address=client_address(),
            remember=remember,
            user_agent=request.user_agent.string,
        )
        if result.second_step and result.user is not None:
            return _await_second_step(
                result.user.id, bool(form.remember.data), safe_next(form.next.data) or ""
            )
        if result.user is None or result.session_token is None:
            form.password.errors.append(result.error or sign_in.GENERIC_FAILURE)
        else:
            _begin(result.user, result.session_token, remember=remember)
            flash(f"Signed in as {result.user.display_name}.", "success")
            return redirect(safe_next(form.next.data) or url_for("main.index"))
    return render_template("auth/login.html", form=form)


def _begin(user: accounts.User, token: str, *, remember: bool) -> None:
    """Start the browser's side of a sign-in: a fresh cookie naming the new session."""
    session.clear()
    user.current_session_token = token
    login_user(user, remember=remember)


def _signed_out() -> Response:
    logout_user()
    session.clear()
    response = redirect(url_for("auth.login", signed_out=1))
    response.headers["Clear-Site-Data"] = CLEAR_SITE_DATA
    return response


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
        refused = sign_in.second_step_attempt(user, address=address, now=now)
        if refused is not None:
            return _restart_sign_in(refused, "error")
        kind = mfa.use_code(user, form.code.data or "", now=now)
        if kind is None:
            sign_in.second_step_failed(user, address=address, now=now)
            form.code.errors.append(
                "That code is not right, or was used already. Enter the current 6-digit "
                "code from your authenticator app, or one of your recovery codes."
            )
        else:
            result = sign_in.complete_second_step(
                user,
                address=address,
                method=kind,
                now=now,
                remember=pending.remember,
                user_agent=request.user_agent.string,
            )
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
    return _signed_out()


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
    cfg = current_app.config
    return render_template(
        "auth/account.html",
        password_form=password_form,
        confirm_form=ConfirmForm(),
        manager=manager,
        live_sessions=sessions.live(current_user),
        this_session=current_user.current_session_id,
        browser_name=browser_name,
        session_idle=in_words(cfg["SESSION_IDLE_TIMEOUT"]),
        session_max=in_words(cfg["SESSION_ABSOLUTE_LIFETIME"]),
        remember_max=in_words(cfg["SESSION_REMEMBER_LIFETIME"]),
        mfa_enabled=mfa.is_enabled(current_user),
        default_zone=cfg["DEFAULT_TIMEZONE"],
        ladder_level_title=lambda level_id: (
            levels[level_id].title if level_id in levels else level_id
        ),
    )


def _password_changed(form: ChangePasswordForm) -> bool:
    """Change the user's own password from ``form``; a refusal becomes a form error."""
    if not form.validate_on_submit():
        return False
    try:
        accounts.change_password(
            current_user,
            form.current_password.data or "",
            form.new_password.data or "",
            actor=current_user,
        )
    except ServiceError as exc:
        form.current_password.errors.append(str(exc))
        return False
    return True


@routes.post("/account/password")
@login_required
def change_password() -> Response | str:
    form = ChangePasswordForm()
    if _password_changed(form):
        flash("Your password has been changed; your other sessions have ended.", "success")
        return redirect(url_for("auth.account"))
    return _account_page(form)


@routes.route("/account/new-password", methods=["GET", "POST"])
@login_required
def new_password() -> Response | str:
    """Replace a password someone else chose (required before anything else)."""
    if not current_user.must_change_password:
        return redirect(url_for("auth.account"))
    form = ChangePasswordForm()
    if _password_changed(form):
        flash("Thank you: your password is now your own.", "success")
        return redirect(url_for("main.index"))
    return render_template("auth/new_password.html", form=form)


@routes.post("/account/sessions/<int:session_id>/end")
@login_required
def end_session(session_id: int) -> Response:
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    if session_id == current_user.current_session_id:
        sessions.sign_out(current_user, current_user.current_session_token)
        return _signed_out()
    try:
        sessions.end_one(current_user, session_id, actor=current_user)
    except ServiceError:
        abort(404)
    flash("That session has ended: it is signed out.", "success")
    return redirect(url_for("auth.account") + "#sessions")


@routes.post("/account/sign-out-everywhere")
@login_required
def sign_out_everywhere() -> Response:
    form = ConfirmForm()
    if not form.validate_on_submit():
        return redirect(url_for("auth.account"))
    sessions.sign_out_everywhere(current_user, actor=current_user)
    return _signed_out()


@routes.route("/login/forgot", methods=["GET", "POST"])
@sign_in_limit
def forgot_password() -> ResponseReturnValue:
    """Ask for a link to choose a new password. The answer is the same whether or not an
    account uses the address, so the page tells nobody who has one."""
    if current_user.is_authenticated:
        return redirect(url_for("auth.account"))
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        email = form.email.data or ""
        password_resets.request_by_email(email)
        minutes = int(current_app.config["PASSWORD_RESET_LIFETIME"].total_seconds() // 60)
        return render_template("auth/forgot_sent.html", email=email, minutes=minutes)
    if request.method == "POST":
        return render_template("auth/forgot.html", form=form), 422
    return render_template("auth/forgot.html", form=form)


@routes.route("/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str) -> Response | str:
    """A single-use link (sent by e-mail, or printed by `flask users reset-link`) to choose
    a new password."""
    reset = password_resets.find(token)
    if reset is None:
        return render_template("auth/reset_invalid.html"), 404  # type: ignore[return-value]
    form = NewPasswordForm()
    if form.validate_on_submit():
        try:
            password_resets.use(token, form.new_password.data or "")
        except ServiceError as exc:
            form.new_password.errors.append(str(exc))
        else:
            if current_user.is_authenticated:
                logout_user()
                session.clear()
            flash("Your password is set; every session of yours has ended. Sign in.", "success")
            return redirect(url_for("auth.login"))
    return render_template("auth/reset.html", form=form, reset=reset)
