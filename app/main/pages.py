"""The home page: where each user starts, with what waits for them."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user, login_required

from app.hiring.queries import interview_count
from app.navigation import visible_navigation
from app.promotions.queries import awaiting_count
from app.routing import Routes

routes = Routes()


@routes.get("/")
@login_required
def index() -> str:
    return render_template(
        "main/index.html",
        awaiting_decision=awaiting_count(current_user),
        roles=sorted(r.label for r in current_user.role_set),
        destinations=[n for n in visible_navigation(current_user) if n.endpoint != "main.index"],
        assigned_interviews=interview_count(current_user.id),
    )
