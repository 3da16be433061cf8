"""Two-step sign-in on the account page: set up, confirm, recovery codes, turn off; and
the gate that keeps holders of the roles that require it on the set-up page."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from app.accounts.auth_pages import client_address
from app.accounts.forms import CodeForm, ConfirmForm, MfaProofForm
from app.models import User
from app.routing import Routes
from app.services import mfa, sign_in
from app.services.errors import ServiceError

routes = Routes()
T = TypeVar("T")

#: What a person who must enrol first may still reach.
ALLOWED_BEFORE_ENROLMENT = frozenset(
    {
        "static",
        "main.health",
        "auth.login",
        "auth.login_verify",
        "auth.logout",
        "auth.mfa_settings",
        "auth.mfa_setup",
        "auth.mfa_confirm",
    }
)


@routes.before_app_request
def require_enrolment() -> ResponseReturnValue | None:
    """Holders of a role in MFA_REQUIRED_ROLES use nothing but the set-up until they have
    two-step sign-in on. API calls with a token are not sessions and pass."""
    if request.endpoint in ALLOWED_BEFORE_ENROLMENT or not mfa.required_roles():
        return None
    if request.headers.get("Authorization", "").lower().startswith("bearer "):
        return None
    if not current_user.is_authenticated or not mfa.is_required(current_user):
        return None
    if mfa.is_enabled(current_user):
        return None
    if request.blueprint == "api":
        abort(403, description="Set up two-step sign-in on your account page first.")
    flash("Your role requires two-step sign-in: set it up to continue.", "warning")
    return redirect(url_for("auth.mfa_settings"))


def _page(code_form: CodeForm | None = None, proof_form: MfaProofForm | None = None) -> str:
    enabled = mfa.is_enabled(current_user)
    secret = None if enabled else mfa.pending_secret(current_user)
    uri = mfa.provisioning_uri(current_user, secret) if secret else None
    return render_template(
        "auth/mfa.html",
        enabled=enabled,
        required=mfa.is_required(current_user),
        enrolment=mfa.enrolment(current_user),
        secret=secret,
        qr_code=mfa.qr_code_data_uri(uri) if uri else None,
        codes_left=mfa.recovery_codes_left(current_user) if enabled else 0,
        code_form=code_form or CodeForm(),
        proof_form=proof_form or MfaProofForm(),
        confirm_form=ConfirmForm(),
    )


@routes.get("/account/mfa")
@login_required
def mfa_settings() -> str:
    return _page()


@routes.post("/account/mfa/setup")
@login_required
def mfa_setup() -> Response:
    if ConfirmForm().validate_on_submit():
        try:
            mfa.start_enrolment(current_user)
        except ServiceError as exc:
            flash(str(exc), "error")
    return redirect(url_for("auth.mfa_settings"))


def _show_codes(codes: list[str], heading: str) -> str:
    return render_template("auth/mfa_recovery_codes.html", codes=codes, heading=heading)


@routes.post("/account/mfa/confirm")
@login_required
def mfa_confirm() -> Response | str:
    form = CodeForm()
    if form.validate_on_submit():
        try:
            codes = mfa.confirm_enrolment(current_user, form.code.data or "")
        except ServiceError as exc:
            form.code.errors.append(str(exc))
        else:
            flash("Two-step sign-in is on.", "success")
            return _show_codes(codes, "Two-step sign-in is on: keep your recovery codes")
    return _page(code_form=form)


def _with_proof(form: MfaProofForm, action: Callable[[User, str], T]) -> tuple[bool, T | None]:
    """Run ``action`` with the password or code typed as proof. A wrong proof counts as a
    failed sign-in of the account from this address, so a stolen session cannot guess the
    password or a code here any faster than at the sign-in form."""
    address = client_address()
    refused = sign_in.second_step_attempt(current_user, address=address)
    if refused is not None:
        form.proof.errors.append(refused)
        return False, None
    try:
        return True, action(current_user, form.proof.data or "")
    except mfa.WrongProofError as exc:
        sign_in.second_step_failed(current_user, address=address)
        form.proof.errors.append(str(exc))
    except ServiceError as exc:
        form.proof.errors.append(str(exc))
    return False, None


@routes.post("/account/mfa/recovery-codes")
@login_required
def mfa_recovery_codes() -> Response | str:
    form = MfaProofForm()
    if form.validate_on_submit():
        done, codes = _with_proof(form, mfa.regenerate_recovery_codes)
        if done and codes is not None:
            return _show_codes(codes, "Your new recovery codes")
    return _page(proof_form=form)


@routes.post("/account/mfa/disable")
@login_required
def mfa_disable() -> Response | str:
    form = MfaProofForm()
    if form.validate_on_submit():
        done, _ = _with_proof(form, mfa.disable)
        if done:
            flash("Two-step sign-in is off.", "info")
            return redirect(url_for("auth.mfa_settings"))
    return _page(proof_form=form)
