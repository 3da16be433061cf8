from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user, login_required
from sqlalchemy import func, select

from app.db import db
from app.models import InterviewInterviewer
from app.navigation import visible_navigation
from app.services import promotions

bp = Blueprint("main", __name__)


@bp.get("/")
@login_required
def index() -> str:
    assigned = db.session.scalar(
        select(func.count())
        .select_from(InterviewInterviewer)
        .where(InterviewInterviewer.user_id == current_user.id)
    )
    awaiting = db.session.scalar(
        select(func.count()).select_from(promotions.awaiting_decision(current_user).subquery())
    )
    return render_template(
        "main/index.html",
        awaiting_decision=awaiting or 0,
        roles=sorted(r.label for r in current_user.role_set),
        destinations=[n for n in visible_navigation(current_user) if n.endpoint != "main.index"],
        assigned_interviews=assigned or 0,
    )
