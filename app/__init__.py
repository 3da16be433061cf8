"""HireLadder's Flask application factory."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.routing import IntegerConverter, Map

from app.config import load_config

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
    register_extensions(app)
    register_security(app)
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
        max: int | None = 2**31 - 1,
        signed: bool = False,
    ) -> None:
        super().__init__(url_map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def register_url_converters(app: Flask) -> None:
    app.url_map.converters["int"] = RowId


def register_extensions(app: Flask) -> None:
    from app.db import db
    from app.extensions import csrf, login_manager, migrate
    from app.sqlite import configure_sqlite

    db.init_app(app)
    with app.app_context():
        for engine in db.engines.values():
            configure_sqlite(engine)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"))
    csrf.init_app(app)
    login_manager.init_app(app)


def register_security(app: Flask) -> None:
    from app.security import init_security

    init_security(app)


def register_blueprints(app: Flask) -> None:
    from app.admin.routes import bp as admin_bp
    from app.api.routes import bp as api_bp
    from app.assessment.routes import bp as assessment_bp
    from app.auth.routes import bp as auth_bp
    from app.careers.routes import bp as careers_bp
    from app.hiring import assessment_routes  # noqa: F401  (adds its routes to hiring_bp)
    from app.hiring.routes import bp as hiring_bp
    from app.main.routes import bp as main_bp
    from app.promotions.routes import bp as promotions_bp

    app.register_blueprint(main_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(hiring_bp, url_prefix="/hiring")
    app.register_blueprint(admin_bp, url_prefix="/admin")
    app.register_blueprint(api_bp, url_prefix="/api/v1")
    app.register_blueprint(assessment_bp, url_prefix="/assessment")
    app.register_blueprint(careers_bp, url_prefix="/careers")
    app.register_blueprint(promotions_bp, url_prefix="/promotions")


def register_error_handlers(app: Flask) -> None:
    from app.errors import init_error_handlers

    init_error_handlers(app)


def register_template_helpers(app: Flask) -> None:
    from app.navigation import init_navigation

    init_navigation(app)


def register_cli(app: Flask) -> None:
    from app.cli import init_cli

    init_cli(app)
    from app.pdf_cli import init_pdf_cli

    init_pdf_cli(app)
