"""Sign in, sign out, the account page (password, sessions) and password reset links."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.wrappers import Response

from app.accounts.forms import ChangePasswordForm, ConfirmForm, LoginForm, NewPasswordForm
from app.accounts.safe_redirect import safe_next
from app.rate_limits import sign_in as sign_in_limit
from app.routing import Routes
from app.services import accounts, password_resets, sessions, sign_in
from app.services.errors import ServiceError
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


@routes.route("/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str) -> Response | str:
    """A single-use link (from `flask users reset-link`) to choose a new password."""
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
