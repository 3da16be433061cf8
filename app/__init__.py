"""HireLadder's Flask application factory."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.routing import IntegerConverter, Map

from app.config import load_config
from app.inputs import DB_INT_MAX

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    app = Flask(
        __name__,
        instance_path=str(PROJECT_ROOT / "instance"),
        instance_relative_config=True,
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder="static",
    )
    app.config.from_mapping(load_config(Path(app.instance_path), overrides=test_config))
    register_url_converters(app)
    register_proxy(app)
    register_extensions(app)
    register_security(app)
    register_rate_limits(app)
    register_input_checks(app)
    register_blueprints(app)
    register_error_handlers(app)
    register_template_helpers(app)
    register_cli(app)
    return app


class RowId(IntegerConverter):
    """``<int:…>`` in every route: at most what a database integer column holds, so an id
    too large for the database is a 404 like any id that names nothing."""

    def __init__(
        self,
        url_map: Map,
        fixed_digits: int = 0,
        min: int | None = None,
        max: int | None = DB_INT_MAX,
        signed: bool = False,
    ) -> None:
        super().__init__(url_map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def register_url_converters(app: Flask) -> None:
    app.url_map.converters["int"] = RowId


def register_proxy(app: Flask) -> None:
    """Behind ``PROXY_HOPS`` reverse proxies, take the client's address and scheme from
    the X-Forwarded-For and -Proto headers they add (sign-in throttling, rate limits and
    the audit log all go by the client's address). Zero (the default): trust no header."""
    hops = int(app.config.get("PROXY_HOPS", 0))
    if hops > 0:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]


def register_extensions(app: Flask) -> None:
    from app.db import db
    from app.extensions import csrf, login_manager, migrate
    from app.postgres import configure_postgresql
    from app.services import candidate_search
    from app.services.transactions import init_transactions
    from app.sqlite import configure_sqlite

    # Importing it registers the hook that keeps candidates' search text in step.
    assert candidate_search.SEARCHED_FIELDS
    db.init_app(app)
    with app.app_context():
        for engine in db.engines.values():
            configure_sqlite(engine)
            configure_postgresql(engine, app.config["PG_RANDOM_PAGE_COST"])
    init_transactions(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"))
    csrf.init_app(app)
    login_manager.init_app(app)


def register_security(app: Flask) -> None:
    from app.security import init_security

    init_security(app)


def register_rate_limits(app: Flask) -> None:
    from app.rate_limits import init_rate_limits

    init_rate_limits(app)


def register_input_checks(app: Flask) -> None:
    from app.inputs import init_inputs

    init_inputs(app)


def register_blueprints(app: Flask) -> None:
    """Every blueprint, each served by the routes of the modules named here (and nowhere
    else): a new page or endpoint is added to its module, a new module to this table."""
    from app.accounts import admin_pages, auth_pages, mfa_pages, notification_pages
    from app.accounts import api as accounts_api
    from app.api import auth as api_auth
    from app.api import errors as api_errors
    from app.api import openapi
    from app.careers import api as careers_api
    from app.careers import pages as careers_pages
    from app.hiring import (
        application_api,
        application_pages,
        assessment_pages,
        candidate_api,
        candidate_pages,
        candidate_record_pages,
        debrief_api,
        debrief_pages,
        interview_pages,
        kit_pages,
        offer_api,
        offer_pages,
        privacy_api,
        privacy_pages,
        process_api,
        requisition_api,
        requisition_pages,
    )
    from app.jobs import api as jobs_api
    from app.jobs import pages as jobs_pages
    from app.jobs import posting_pages
    from app.main import pages as home
    from app.notifications import admin_pages as mail_pages
    from app.promotions import api as promotions_api
    from app.promotions import pages as promotion_pages
    from app.referrals import api as referrals_api
    from app.referrals import pages as referral_pages
    from app.reports import api as reports_api
    from app.reports import calibration_api, calibration_pages
    from app.reports import pages as report_pages
    from app.routing import blueprint

    table = (
        # (blueprint name, URL prefix, the modules whose routes it serves)
        ("main", "", (home,)),
        ("auth", "", (auth_pages, mfa_pages, notification_pages)),
        ("admin", "/admin", (admin_pages, mail_pages)),
        ("careers", "/careers", (careers_pages,)),
        (
            "hiring",
            "/hiring",
            (
                requisition_pages,
                application_pages,
                interview_pages,
                kit_pages,
                assessment_pages,
                privacy_pages,
                posting_pages,
                candidate_record_pages,
                debrief_pages,
                offer_pages,
            ),
        ),
        ("jobs", "/jobs", (jobs_pages,)),
        ("assessment", "/assessment", (candidate_pages,)),
        ("promotions", "/promotions", (promotion_pages,)),
        ("referrals", "/referrals", (referral_pages,)),
        ("reports", "/reports", (report_pages, calibration_pages)),
        (
            "api",
            "/api/v1",
            (
                api_auth,
                api_errors,
                openapi,
                accounts_api,
                careers_api,
                requisition_api,
                candidate_api,
                application_api,
                process_api,
                referrals_api,
                privacy_api,
                promotions_api,
                jobs_api,
                debrief_api,
                offer_api,
                reports_api,
                calibration_api,
            ),
        ),
    )
    for name, prefix, modules in table:
        bp = blueprint(name, [module.routes for module in modules])
        app.register_blueprint(bp, url_prefix=prefix or None)


def register_error_handlers(app: Flask) -> None:
    from app.errors import init_error_handlers

    init_error_handlers(app)


def register_template_helpers(app: Flask) -> None:
    from app.templating import init_templating

    init_templating(app)


def register_cli(app: Flask) -> None:
    from app.cli import init_cli

    init_cli(app)
