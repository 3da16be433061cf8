"""API tokens: scope, expiry, last use; 401 before CSRF for calls without credentials."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from flask_migrate import upgrade
from sqlalchemy import select, text

from app import create_app
from app.clock import utcnow
from app.db import db
from app.models import ApiToken, AuditEvent, Role, TokenScope, User
from app.services import api_tokens
from app.services.errors import ServiceError
from tests.conftest import login_as

API = "/api/v1"
CANDIDATE = {"name": "Nia", "email": "nia@example.org", "consent_on": "2030-02-01"}


def issue(app, user_id, **kwargs):
    """A token for the user: (its id, the Authorization header)."""
    with app.app_context():
        user = db.session.get(User, user_id)
        row, raw = api_tokens.issue(user, actor=None, **kwargs)
        return row.id, {"Authorization": f"Bearer {raw}"}


def change_token(app, token_id, **values):
    with app.app_context():
        row = db.session.get(ApiToken, token_id)
        for name, value in values.items():
            setattr(row, name, value)
        db.session.commit()


# --- 401 whatever the method -------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/candidates"),
        ("POST", "/applications/1/advance"),
        ("POST", "/interviews/1/scorecard"),
        ("PATCH", "/promotions/1"),
        ("GET", "/candidates"),
    ],
)
def test_a_call_without_credentials_answers_401_even_with_csrf_on(
    client, users, csrf_enabled, method, path
):
    # Before, the CSRF check came first: a POST without credentials answered 400.
    response = client.open(f"{API}{path}", method=method, json={})
    assert response.status_code == 401
    assert response.json["error"]["status"] == 401
    assert "Authorization: Bearer" in response.json["error"]["detail"]


def test_a_post_to_no_endpoint_of_the_api_answers_404_not_a_csrf_failure(client, csrf_enabled):
    assert client.post(f"{API}/no-such-endpoint", json={}).status_code == 404


def test_a_session_cookie_call_still_needs_the_csrf_token(app, client, users, csrf_enabled):
    login_as(app, client, users["recruiter"])
    response = client.post(f"{API}/candidates", json=CANDIDATE)
    assert response.status_code == 400
    assert "security token is missing" in response.json["error"]["detail"]


def test_pages_keep_their_csrf_check(app, client, users, csrf_enabled):
    response = client.post("/login", data={"email": "admin@example.org", "password": "x"})
    assert response.status_code == 400
    assert b"security token is missing" in response.data


# --- scopes ------------------------------------------------------------------------


def test_a_read_token_reads_but_is_refused_on_writes_with_a_clear_message(app, client, users):
    _id, headers = issue(app, users["recruiter"], scope="read")
    assert client.get(f"{API}/candidates", headers=headers).status_code == 200
    assert client.head(f"{API}/candidates", headers=headers).status_code == 200
    response = client.post(f"{API}/candidates", headers=headers, json=CANDIDATE)
    assert response.status_code == 403
    detail = response.json["error"]["detail"]
    assert "read-only (scope 'read')" in detail and "POST" in detail and "--scope write" in detail
    with app.app_context():
        assert db.session.scalar(select(User).where(User.email == "nia@example.org")) is None


def test_a_write_token_writes(app, client, users):
    _id, headers = issue(app, users["recruiter"], scope="write")
    assert client.post(f"{API}/candidates", headers=headers, json=CANDIDATE).status_code == 201


def test_a_read_token_still_answers_the_roles_check_on_reads(app, client, users):
    _id, headers = issue(app, users["team_member"], scope="read")
    assert client.get(f"{API}/candidates", headers=headers).status_code == 403


# --- expiry and revocation ---------------------------------------------------------


def test_a_token_expires_after_its_days_and_then_answers_401_saying_so(app, client, users):
    token_id, headers = issue(app, users["recruiter"], days=30)
    with app.app_context():
        row = db.session.get(ApiToken, token_id)
        assert timedelta(days=29, hours=23) < row.expires_at - utcnow() <= timedelta(days=30)
    assert client.get(f"{API}/me", headers=headers).status_code == 200
    change_token(app, token_id, expires_at=utcnow() - timedelta(seconds=1))
    response = client.get(f"{API}/me", headers=headers)
    assert response.status_code == 401
    assert "expired on" in response.json["error"]["detail"]
    # A write with an expired token is refused the same way, not as a CSRF failure.
    assert client.post(f"{API}/candidates", headers=headers, json=CANDIDATE).status_code == 401


def test_a_revoked_token_answers_401_saying_so_even_if_also_expired(app, client, users):
    token_id, headers = issue(app, users["recruiter"])
    change_token(app, token_id, revoked_at=utcnow(), expires_at=utcnow() - timedelta(days=1))
    response = client.get(f"{API}/me", headers=headers)
    assert response.status_code == 401
    assert "was revoked on" in response.json["error"]["detail"]


def test_tokens_default_to_90_days_and_write(app, users):
    with app.app_context():
        row, _raw = api_tokens.issue(db.session.get(User, users["admin"]), actor=None)
        assert row.scope is TokenScope.WRITE
        assert timedelta(days=89, hours=23) < row.expires_at - utcnow() <= timedelta(days=90)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"days": 0}, "at least 1 day"),
        ({"days": 366}, "at most 365 days"),
        ({"scope": "admin"}, "must be one of read, write"),
    ],
)
def test_the_service_refuses_lifetimes_and_scopes_out_of_bounds(app, users, kwargs, message):
    with app.app_context():
        user = db.session.get(User, users["admin"])
        with pytest.raises(ServiceError, match=message):
            api_tokens.issue(user, actor=None, **kwargs)
        assert db.session.scalars(select(ApiToken)).all() == []


# --- last use ----------------------------------------------------------------------


def test_last_use_records_time_and_address_at_most_hourly(app, client, users):
    token_id, headers = issue(app, users["recruiter"])
    first = client.get(f"{API}/me", headers=headers, environ_base={"REMOTE_ADDR": "203.0.113.7"})
    assert first.status_code == 200
    with app.app_context():
        row = db.session.get(ApiToken, token_id)
        used_at = row.last_used_at
        assert used_at is not None and row.last_used_address == "203.0.113.7"
    # Within the hour nothing is written again, whatever the address.
    client.get(f"{API}/me", headers=headers, environ_base={"REMOTE_ADDR": "198.51.100.2"})
    with app.app_context():
        row = db.session.get(ApiToken, token_id)
        assert (row.last_used_at, row.last_used_address) == (used_at, "203.0.113.7")
    change_token(app, token_id, last_used_at=utcnow() - timedelta(hours=2))
    client.get(f"{API}/me", headers=headers, environ_base={"REMOTE_ADDR": "198.51.100.2"})
    with app.app_context():
        assert db.session.get(ApiToken, token_id).last_used_address == "198.51.100.2"


# --- audit -------------------------------------------------------------------------


def test_create_and_revoke_are_audited_with_scope_and_expiry(app, users):
    with app.app_context():
        admin = db.session.get(User, users["admin"])
        row, _raw = api_tokens.issue(admin, actor=admin, scope="read", days=7)
        api_tokens.revoke(row, actor=admin, channel="web")
        events = db.session.scalars(
            select(AuditEvent)
            .where(AuditEvent.object_type == "api_token", AuditEvent.object_id == str(row.id))
            .order_by(AuditEvent.id)
        ).all()
        assert [e.action for e in events] == ["api_token.create", "api_token.revoke"]
        for event in events:
            assert event.summary["scope"] == "read"
            assert event.summary["user_id"] == admin.id
            assert datetime.fromisoformat(event.summary["expires_at"]) == row.expires_at.replace(
                microsecond=0
            )


# --- CLI and admin page ------------------------------------------------------------


def test_the_cli_issues_a_read_token_for_30_days_and_lists_scope_and_expiry(
    app, runner, client, make_user
):
    make_user("ada@example.org", [Role.RECRUITER])
    result = runner.invoke(
        args=["users", "token", "ada@example.org", "--scope", "read", "--days", "30"]
    )
    assert result.exit_code == 0, result.output
    raw = result.stdout.strip().splitlines()[0]
    assert "scope read" in result.stderr
    with app.app_context():
        row = db.session.scalars(select(ApiToken)).one()
        assert row.scope is TokenScope.READ
        assert row.expires_at - utcnow() <= timedelta(days=30)
        expiry = f"{row.expires_at:%Y-%m-%d}"
    headers = {"Authorization": f"Bearer {raw}"}
    assert client.get(f"{API}/candidates", headers=headers).status_code == 200
    assert client.post(f"{API}/candidates", headers=headers, json=CANDIDATE).status_code == 403
    listing = runner.invoke(args=["users", "tokens", "ada@example.org"])
    assert "read" in listing.output and f"expires {expiry}" in listing.output
    assert "last used" in listing.output and "active" in listing.output


@pytest.mark.parametrize(
    ("args", "message"),
    [(["--days", "400"], "400 is not in the range 1<=x<=365"), (["--scope", "all"], "'all'")],
)
def test_the_cli_refuses_bounds_it_cannot_meet(runner, make_user, args, message):
    make_user("ada@example.org")
    result = runner.invoke(args=["users", "token", "ada@example.org", *args])
    assert result.exit_code != 0
    assert message in result.output


def test_the_cli_marks_expired_tokens(app, runner, make_user):
    user_id = make_user("ada@example.org")
    token_id, _headers = issue(app, user_id)
    change_token(app, token_id, expires_at=utcnow() - timedelta(days=1))
    listing = runner.invoke(args=["users", "tokens", "ada@example.org"])
    assert "expired" in listing.output


def test_the_admin_page_shows_scope_expiry_and_last_use(app, client, users):
    token_id, headers = issue(app, users["recruiter"], scope="read", days=30)
    client.get(f"{API}/me", headers=headers, environ_base={"REMOTE_ADDR": "203.0.113.7"})
    expired_id, _ = issue(app, users["recruiter"])
    change_token(app, expired_id, expires_at=utcnow() - timedelta(days=1))
    login_as(app, client, users["admin"])
    page = client.get(f"/admin/users/{users['recruiter']}").get_data(as_text=True)
    with app.app_context():
        row = db.session.get(ApiToken, token_id)
        # In the admin's zone (none chosen: the default, UTC).
        assert f"{row.expires_at:%-d %b %Y, %H:%M} UTC" in page
    assert "read only" in page and "read and write" in page
    assert "203.0.113.7" in page
    assert "expired" in page


# --- migration ---------------------------------------------------------------------


def test_the_migration_gives_existing_tokens_write_and_90_days(fresh_database_url):
    app = create_app(
        {
            "HIRELADDER_ENV": "testing",
            "SECRET_KEY": "x",
            "SQLALCHEMY_DATABASE_URI": fresh_database_url,
        }
    )
    with app.app_context():
        upgrade(revision="0005")
        with db.engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO users (id, email, display_name, active, is_demo, created_at,"
                    " version) VALUES (1, 'a@example.org', 'A', true, false, :now, 1)"
                ),
                {"now": datetime(2026, 1, 1, tzinfo=UTC)},
            )
            conn.execute(
                text(
                    "INSERT INTO api_tokens (id, user_id, token_hash, prefix, created_at)"
                    " VALUES (1, 1, 'h', 'hl_x', :now)"
                ),
                {"now": datetime(2026, 1, 1, tzinfo=UTC)},
            )
        before = utcnow()
        upgrade(revision="0007")
        # Read with SQL: the models describe the newest schema, not revision 0007's.
        scope, expires_at = db.session.execute(
            select(ApiToken.__table__.c.scope, ApiToken.__table__.c.expires_at).where(
                ApiToken.__table__.c.id == 1
            )
        ).one()
        assert TokenScope(scope) is TokenScope.WRITE
        expected = before + timedelta(days=90)
        assert expected - timedelta(minutes=5) < expires_at < expected + timedelta(minutes=5)
        db.session.remove()
        db.engine.dispose()
