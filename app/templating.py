"""What every template can use: the navigation, the demo banner, and the domain's enums.

Templates compare statuses and kinds with the enums themselves
(``application.status == ApplicationStatus.ACTIVE``), never with string literals.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, request
from flask_login import current_user

from app.accounts.queries import demo_accounts_exist
from app.navigation import visible_navigation
from ladder.model import Track
from pipelines.applications import ApplicationStatus
from pipelines.assessment import InvitationStatus
from pipelines.outbox import MessageStatus
from pipelines.plan import StageKind
from pipelines.promotions import MoveKind, PacketStatus
from pipelines.requisitions import RequisitionStatus
from pipelines.scorecards import CriterionSource, Scope

ENUMS = (
    ApplicationStatus,
    CriterionSource,
    InvitationStatus,
    MessageStatus,
    MoveKind,
    PacketStatus,
    RequisitionStatus,
    Scope,
    StageKind,
    Track,
)


def init_templating(app: Flask) -> None:
    app.jinja_env.globals.update({enum.__name__: enum for enum in ENUMS})

    @app.context_processor
    def _template_values() -> dict[str, Any]:
        return {
            "navigation": visible_navigation(current_user),
            "current_endpoint": request.endpoint or "",
            "demo_data_present": demo_accounts_exist,
            "app_env": app.config["HIRELADDER_ENV"],
        }
