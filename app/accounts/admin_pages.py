"""Administration: users and their roles, places on the ladder and API tokens; the audit log."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from werkzeug.wrappers import Response

from app.accounts import queries
from app.accounts.forms import (
    AuditFilterForm,
    ConfirmForm,
    LeftForm,
    PlacementForm,
    UserCreateForm,
    UserEditForm,
    UserFilterForm,
    VersionedActionForm,
)
from app.accounts.permissions import roles_required
from app.db import db
from app.ladder_access import get_ladder
from app.models import ApiToken, AuditEvent, Role, User
from app.paging import by_unique_column, newest_first
from app.routing import Routes
from app.services import accounts, api_tokens, levels, mfa, sessions
from app.services.errors import ConflictError, ServiceError
from ladder.resolve import specialty_labels

routes = Routes()


def _page_size() -> int:
    return int(current_app.config["ADMIN_PAGE_SIZE"])


@routes.get("/users")
@roles_required(Role.ADMIN)
def users() -> str:
    form = UserFilterForm(request.args)
    query = queries.user_list()
    if form.validate():
        query = queries.user_list(
            search=(form.q.data or "").strip() or None,
            role=form.role.data or None,
            active=(form.status.data == "active") if form.status.data else None,
        )
    # By e-mail address, a cursor (?after= / ?before= a user's id) between pages: a deep
    # page costs what the first does.
    page = by_unique_column(
        query.order_by(None),
        column=User.email,
        row_id=User.id,
        key=lambda row: row[0].id,
        per_page=_page_size(),
    )
    return render_template(
        "admin/users.html", page=page, users=[row[0] for row in page.items], form=form
    )


@routes.route("/users/new", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def user_new() -> Response | str:
    form = UserCreateForm()
    if form.validate_on_submit():
        try:
            user = accounts.create_user(
                form.email.data or "",
                form.display_name.data or "",
                form.password.data,
                form.roles.data or [],
                actor=current_user,
                must_change_password=True,
            )
        except ServiceError as exc:
            form.email.errors.append(str(exc))
        else:
            flash(f"User {user.email} created.", "success")
            return redirect(url_for("admin.user_detail", user_id=user.id))
    return render_template("admin/user_new.html", form=form)


def _load_user(user_id: int) -> User:
    user = queries.user_with_roles(user_id)
    if user is None:
        abort(404)
    return user


def _detail(
    user: User,
    form: UserEditForm | None = None,
    *,
    placement_form: PlacementForm | None = None,
    left_form: LeftForm | None = None,
) -> str:
    if form is None:
        form = UserEditForm(
            display_name=user.display_name,
            roles=[r.role for r in user.roles],
            version=str(user.version),
        )
    return render_template(
        "admin/user_detail.html",
        user=user,
        form=form,
        action_form=VersionedActionForm(version=str(user.version)),
        confirm_form=ConfirmForm(),
        live_session_count=len(sessions.live(user)),
        placement_form=placement_form or _placement_form(user),
        left_form=left_form or LeftForm(left_on=user.left_on, version=str(user.version)),
        path_url=url_for("careers.person_path", user_id=user.id),
        tokens=[(t, api_tokens.state(t)) for t in queries.api_tokens(user.id)],
        mfa_enabled=mfa.is_enabled(user),
    )


@routes.get("/users/<int:user_id>")
@roles_required(Role.ADMIN)
def user_detail(user_id: int) -> str:
    return _detail(_load_user(user_id))


@routes.post("/users/<int:user_id>")
@roles_required(Role.ADMIN)
def user_update(user_id: int) -> ResponseReturnValue:
    user = _load_user(user_id)
    form = UserEditForm()
    if form.validate_on_submit():
        try:
            accounts.update_user(
                user,
                display_name=form.display_name.data or "",
                roles=form.roles.data or [],
                expected_version=int(form.version.data or -1),
                actor=current_user,
            )
        except ConflictError as exc:
            flash(str(exc), "error")
            return _detail(_load_user(user_id), form), 409
        except ServiceError as exc:
            form.roles.errors = [*form.roles.errors, str(exc)]
        else:
            flash("Changes saved.", "success")
            return redirect(url_for("admin.user_detail", user_id=user.id))
    return _detail(user, form)


def _placement_form(user: User, data: bool = False) -> PlacementForm:
    ladder = get_ladder()
    form = (
        PlacementForm()
        if data
        else PlacementForm(
            level_id=user.level_id or "",
            specialty_id=user.specialty_id or "",
            manager_id=user.manager_id or 0,
            level_since=user.level_since,
            version=str(user.version),
        )
    )
    form.level_id.choices = [("", "Not set")] + [
        (lv.id, f"{fam.title} — {lv.title}" + (f" (grade {lv.grade})" if lv.grade else ""))
        for fam in ladder.families
        for lv in fam.levels
    ]
    form.specialty_id.choices = [("", "None"), *specialty_labels(ladder)]
    people = queries.possible_managers(user)
    form.manager_id.choices = [(0, "No manager")] + [(u.id, u.display_name) for u in people]
    return form


def _version_of(form: PlacementForm | LeftForm) -> int:
    return int(form.version.data or -1)


def _refused(form: PlacementForm | LeftForm) -> None:
    """The hidden version's message has no place on the page: flash it."""
    for error in form.version.errors:
        flash(error, "error")


@routes.post("/users/<int:user_id>/placement")
@roles_required(Role.ADMIN)
def user_placement(user_id: int) -> ResponseReturnValue:
    """A new level or specialty is kept in the person's level history (changed by an
    admin); a refused value shows the page again (422) with the message at its field."""
    user = _load_user(user_id)
    form = _placement_form(user, data=True)
    if not form.validate_on_submit():
        _refused(form)
        return _detail(user, placement_form=form), 422
    manager = db.session.get(User, form.manager_id.data) if form.manager_id.data else None
    try:
        accounts.set_placement(
            user,
            level_id=form.level_id.data or None,
            specialty_id=form.specialty_id.data or None,
            manager=manager,
            level_since=form.level_since.data,
            expected_version=_version_of(form),
            actor=current_user,
        )
    except ConflictError as exc:
        flash(str(exc), "error")
        return _detail(_load_user(user_id)), 409
    except levels.LevelDateProblem as exc:
        db.session.rollback()
        form.level_since.errors = [str(exc)]
        return _detail(_load_user(user_id), placement_form=form), 422
    except ServiceError as exc:
        db.session.rollback()
        form.level_id.errors = [str(exc)]
        return _detail(_load_user(user_id), placement_form=form), 422
    flash("Position on the ladder saved.", "success")
    return redirect(url_for("admin.user_detail", user_id=user.id))


@routes.post("/users/<int:user_id>/left")
@roles_required(Role.ADMIN)
def user_left(user_id: int) -> ResponseReturnValue:
    """Record (or clear) the person's last day at the company; quality of hire reads it."""
    user = _load_user(user_id)
    form = LeftForm()
    if not form.validate_on_submit():
        _refused(form)
        return _detail(user, left_form=form), 422
    try:
        accounts.set_left_on(
            user,
            form.left_on.data,
            expected_version=_version_of(form),
            actor=current_user,
        )
    except ConflictError as exc:
        flash(str(exc), "error")
        return _detail(_load_user(user_id)), 409
    except ServiceError as exc:
        db.session.rollback()
        form.left_on.errors = [str(exc)]
        return _detail(_load_user(user_id), left_form=form), 422
    flash(
        "Last day recorded." if form.left_on.data else "Last day cleared.",
        "success",
    )
    return redirect(url_for("admin.user_detail", user_id=user.id))


@routes.post("/users/<int:user_id>/active")
@roles_required(Role.ADMIN)
def user_set_active(user_id: int) -> Response:
    user = _load_user(user_id)
    form = VersionedActionForm()
    activate = request.form.get("active") == "1"
    if form.validate_on_submit():
        try:
            accounts.set_active(
                user,
                activate,
                expected_version=int(form.version.data or -1),
                actor=current_user,
            )
        except ServiceError as exc:
            flash(str(exc), "error")
        else:
            flash(
                "Account reactivated." if activate else "Account deactivated; its sessions ended.",
                "success",
            )
    return redirect(url_for("admin.user_detail", user_id=user.id))


@routes.post("/users/<int:user_id>/sessions/end")
@roles_required(Role.ADMIN)
def user_end_sessions(user_id: int) -> Response:
    """Sign the user out everywhere without deactivating the account."""
    user = _load_user(user_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        count = sessions.sign_out_everywhere(user, actor=current_user)
        plural = "s" if count != 1 else ""
        flash(f"{count} session{plural} of {user.display_name} ended.", "success")
    return redirect(url_for("admin.user_detail", user_id=user.id))


@routes.post("/users/<int:user_id>/tokens/<int:token_id>/revoke")
@roles_required(Role.ADMIN)
def token_revoke(user_id: int, token_id: int) -> Response:
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != user_id:
        abort(404)
    form = ConfirmForm()
    if form.validate_on_submit():
        api_tokens.revoke(token, actor=current_user, channel="web")
        flash(f"Token {token.prefix}… revoked.", "success")
    return redirect(url_for("admin.user_detail", user_id=user_id))


@routes.post("/users/<int:user_id>/mfa-reset")
@roles_required(Role.ADMIN)
def user_mfa_reset(user_id: int) -> Response:
    """Remove a user's two-step sign-in (a lost phone); they set it up again."""
    user = _load_user(user_id)
    if ConfirmForm().validate_on_submit():
        if mfa.reset(user, actor=current_user, channel="web"):
            flash(
                "Two-step sign-in reset: the user signs in with the password and sets it up again.",
                "success",
            )
        else:
            flash("This user had no two-step sign-in to reset.", "info")
    return redirect(url_for("admin.user_detail", user_id=user.id))


@routes.get("/audit")
@roles_required(Role.ADMIN)
def audit() -> str:
    form = AuditFilterForm(request.args)
    query = queries.audit_list()
    if form.validate():
        query = queries.audit_list(
            kind=form.kind.data or None,
            action=(form.action.data or "").strip() or None,
            actor_id=form.actor.data,
            address=(form.address.data or "").strip() or None,
            object_type=(form.object_type.data or "").strip() or None,
            object_id=(form.object_id.data or "").strip() or None,
            since=form.since.data,
            until=form.until.data,
        )
    # Newest first by a cursor (?after= / ?before= a row's moment and id), no total count:
    # a deep page costs what the first does, whatever the log holds.
    page = newest_first(
        query.order_by(None),
        moment=AuditEvent.occurred_at,
        row_id=AuditEvent.id,
        key=lambda row: (row[0].occurred_at, row[0].id),
        per_page=_page_size(),
    )
    return render_template(
        "admin/audit.html", page=page, events=[row[0] for row in page.items], form=form
    )
