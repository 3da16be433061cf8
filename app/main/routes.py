from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user, login_required

from app.navigation import visible_navigation

bp = Blueprint("main", __name__)


@bp.get("/")
@login_required
def index() -> str:
    return render_template(
        "main/index.html",
        roles=sorted(r.label for r in current_user.role_set),
        destinations=[n for n in visible_navigation(current_user) if n.endpoint != "main.index"],
    )
