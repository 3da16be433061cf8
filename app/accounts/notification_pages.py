"""The person's own notifications and time zone (``/account/notifications``)."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from app.accounts.forms import NotificationsForm
from app.clock import utcnow
from app.routing import Routes
from app.services import preferences
from app.services.errors import ConflictError
from app.services.preferences import PreferenceError
from pipelines.timezones import format_local

routes = Routes()


def _form() -> NotificationsForm:
    return NotificationsForm(default_zone=current_app.config["DEFAULT_TIMEZONE"])


def _page(form: NotificationsForm, status: int = 200) -> ResponseReturnValue:
    default_zone = current_app.config["DEFAULT_TIMEZONE"]
    now = utcnow()
    return (
        render_template(
            "auth/notifications.html",
            form=form,
            default_zone=default_zone,
            chosen_zone=current_user.timezone,
            now_here=format_local(now, current_user.timezone, default_zone),
        ),
        status,
    )


@routes.get("/account/notifications")
@login_required
def notifications() -> ResponseReturnValue:
    form = _form()
    form.timezone.data = current_user.timezone or ""
    form.version.data = str(current_user.version)
    for kind_key, delivery in preferences.deliveries(current_user).items():
        form[f"kind_{kind_key}"].data = delivery.value
    return _page(form)


@routes.post("/account/notifications")
@login_required
def notifications_save() -> ResponseReturnValue:
    form = _form()
    if not form.validate_on_submit():
        return _page(form, 400)
    try:
        changed = preferences.update(
            current_user,
            timezone=form.timezone.data,
            choices={key: value for key, value in form.choices().items() if value},
            expected_version=int(form.version.data) if form.version.data else None,
            actor=current_user,
        )
    except PreferenceError as error:
        field = form.timezone if error.field == "timezone" else form[f"kind_{error.field}"]
        field.errors = [*field.errors, str(error)]
        return _page(form, 400)
    except ConflictError as error:
        flash(str(error), "error")
        return _page(form, 409)
    flash(
        "Your notification settings and time zone are saved." if changed else "Nothing changed.",
        "success" if changed else "info",
    )
    return redirect(url_for("auth.notifications"), code=303)
