from __future__ import annotations

import pytest
from sqlalchemy import text

from app import create_app
from app.config import ConfigError, load_config
from app.db import db

REQUIRED = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


def assert_security_headers(response):
    for name, value in REQUIRED.items():
        assert response.headers.get(name) == value, name
    csp = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp


@pytest.mark.parametrize("url", ["/login", "/static/app.css", "/no-such-page", "/api/v1/me", "/"])
def test_security_headers_on_every_response(client, url):
    response = client.get(url)
    assert_security_headers(response)
    response.close()


def test_security_headers_on_a_500(tmp_path):
    app = create_app(
        {
            "HIRELADDER_ENV": "testing",
            "SECRET_KEY": "x",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'e.db'}",
            "PROPAGATE_EXCEPTIONS": False,
        }
    )

    @app.get("/boom")
    def boom():
        raise RuntimeError("boom")

    response = app.test_client().get("/boom")
    assert response.status_code == 500
    assert b"Something went wrong" in response.data
    assert_security_headers(response)


def test_friendly_404_page(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert b"Not found" in response.data
    assert b"Back to the start page" in response.data


def test_no_inline_scripts_or_styles_in_pages(client, auth, users):
    auth.login(users["admin"])
    for url in ("/", "/admin/users", "/admin/audit", "/account"):
        body = client.get(url).data
        assert b"<script>" not in body and b"style=" not in body, url


def test_session_cookie_flags(auth, client, make_user):
    make_user("ada@example.org")
    response = auth.login_form("ada@example.org")
    header = response.headers["Set-Cookie"]
    assert "HttpOnly" in header
    assert "SameSite=Lax" in header
    assert "Secure" not in header  # testing is not production


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    with pytest.raises(ConfigError, match="SECRET_KEY is not set"):
        load_config(tmp_path, environ={"HIRELADDER_ENV": "production"})


def test_production_sets_secure_cookies(tmp_path):
    config = load_config(tmp_path, environ={"HIRELADDER_ENV": "production", "SECRET_KEY": "s" * 64})
    assert config["SESSION_COOKIE_SECURE"] is True
    assert config["REMEMBER_COOKIE_SECURE"] is True
    assert config["ARGON2_TIME_COST"] >= 2  # fast hashing is for tests only


def test_development_secret_key_is_generated_once_and_kept(tmp_path):
    first = load_config(tmp_path, environ={})["SECRET_KEY"]
    second = load_config(tmp_path, environ={})["SECRET_KEY"]
    assert first == second and len(first) >= 32
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_unknown_environment_is_refused(tmp_path):
    with pytest.raises(ConfigError, match="HIRELADDER_ENV"):
        load_config(tmp_path, environ={"HIRELADDER_ENV": "staging"})


def test_database_url_from_environment(tmp_path):
    config = load_config(tmp_path, environ={"DATABASE_URL": "postgres://u@h/db", "SECRET_KEY": "x"})
    assert config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@h/db"
    default = load_config(tmp_path, environ={"SECRET_KEY": "x"})
    assert default["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'hireladder.db'}"


def test_sqlite_connections_get_wal_busy_timeout_and_foreign_keys(tmp_path):
    from app.db import db

    app = create_app(
        {
            "HIRELADDER_ENV": "testing",
            "SECRET_KEY": "x",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'p.db'}",
        }
    )
    with app.app_context(), db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000
    with app.app_context():
        db.engine.dispose()


def test_oversized_request_gets_a_friendly_413(app, client):
    limit = app.config["MAX_CONTENT_LENGTH"]
    response = client.post("/login", data={"email": "x" * (limit + 1)})
    assert response.status_code == 413
    assert b"larger than allowed" in response.data
    assert_security_headers(response)


def test_the_planners_random_read_cost_is_a_setting(tmp_path):
    assert load_config(tmp_path, environ={})["PG_RANDOM_PAGE_COST"] == 1.1
    assert (
        load_config(tmp_path, environ={"HIRELADDER_PG_RANDOM_PAGE_COST": "2"})[
            "PG_RANDOM_PAGE_COST"
        ]
        == 2.0
    )
    assert (
        load_config(tmp_path, environ={"HIRELADDER_PG_RANDOM_PAGE_COST": ""})["PG_RANDOM_PAGE_COST"]
        is None
    )
    for bad in ("fast", "0", "-1", "nan"):
        with pytest.raises(ConfigError, match="HIRELADDER_PG_RANDOM_PAGE_COST"):
            load_config(tmp_path, environ={"HIRELADDER_PG_RANDOM_PAGE_COST": bad})


def test_each_postgresql_connection_prices_random_reads_as_configured(app):
    with app.app_context():
        if db.session.get_bind().dialect.name != "postgresql":
            pytest.skip("PostgreSQL only (the suite also runs on it)")
        value = db.session.execute(text("SHOW random_page_cost")).scalar()
    assert float(value) == app.config["PG_RANDOM_PAGE_COST"] == 1.1
