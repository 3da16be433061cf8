"""The home page: what waits for the user, per role (app.main.todos), and where to go."""

from __future__ import annotations

from flask import Response, render_template
from flask_login import current_user, login_required

from app.clock import utcnow
from app.main.todos import sections_for
from app.navigation import visible_navigation
from app.routing import Routes

routes = Routes()


@routes.get("/")
@login_required
def index() -> str:
    sections = sections_for(current_user, utcnow())
    return render_template(
        "main/index.html",
        sections=sections,
        waiting=sum(section.total for section in sections),
        roles=sorted(r.label for r in current_user.role_set),
        destinations=[n for n in visible_navigation(current_user) if n.endpoint != "main.index"],
    )


@routes.get("/health")
def health() -> Response:
    """For a load balancer or a process supervisor: the process answers requests. Public
    by design, it reads nothing (no session, no database) and is not rate-limited; what
    the database says is for the pages that need it."""
    return Response("ok\n", mimetype="text/plain")
