"""Sign in, sign out and the account page."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.wrappers import Response

from app.accounts.forms import ChangePasswordForm, ConfirmForm, LoginForm
from app.accounts.safe_redirect import safe_next
from app.rate_limits import sign_in as sign_in_limit
from app.routing import Routes
from app.services import accounts, sessions, sign_in
from app.services.errors import ServiceError

routes = Routes()


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
    if form.validate_on_submit():
        result = sign_in.sign_in(
            form.email.data or "", form.password.data or "", address=client_address()
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
