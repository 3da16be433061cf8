"""Two-step sign-in on the account page: set up, confirm, recovery codes, turn off; and
the gate that keeps holders of the roles that require it on the set-up page."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from app.accounts.forms import CodeForm, ConfirmForm, MfaProofForm
from app.routing import Routes
from app.services import mfa
from app.services.errors import ServiceError

routes = Routes()

#: What a person who must enrol first may still reach.
ALLOWED_BEFORE_ENROLMENT = frozenset(
    {
        "static",
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


@routes.post("/account/mfa/recovery-codes")
@login_required
def mfa_recovery_codes() -> Response | str:
    form = MfaProofForm()
    if form.validate_on_submit():
        try:
            codes = mfa.regenerate_recovery_codes(current_user, form.proof.data or "")
        except ServiceError as exc:
            form.proof.errors.append(str(exc))
        else:
            return _show_codes(codes, "Your new recovery codes")
    return _page(proof_form=form)


@routes.post("/account/mfa/disable")
@login_required
def mfa_disable() -> Response | str:
    form = MfaProofForm()
    if form.validate_on_submit():
        try:
            mfa.disable(current_user, form.proof.data or "")
        except ServiceError as exc:
            form.proof.errors.append(str(exc))
        else:
            flash("Two-step sign-in is off.", "info")
            return redirect(url_for("auth.mfa_settings"))
    return _page(proof_form=form)
