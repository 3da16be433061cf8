"""Sessions end on the server: idle, too old, signed out elsewhere, password changed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.clock import utcnow
from app.db import db
from app.models import AuditEvent, User, UserSession
from app.services import accounts, password_resets, sessions
from tests.conftest import PASSWORD

NEW_PASSWORD = "violet kettle on the moor"


def later(monkeypatch, delta: timedelta) -> None:
    """Move the sessions' clock forward."""
    moment = utcnow() + delta
    monkeypatch.setattr("app.clock.utcnow", lambda: moment)


def signed_in(client) -> bool:
    return client.get("/account").status_code == 200


def form_sign_in(client, email: str, password: str = PASSWORD, **extra) -> None:
    response = client.post("/login", data={"email": email, "password": password, **extra})
    assert response.status_code == 302, response.data[:500]


class TestLifetimes:
    def test_idle_session_ends_and_says_why(self, client, make_user, monkeypatch):
        make_user("ada@example.org")
        form_sign_in(client, "ada@example.org")
        later(monkeypatch, timedelta(minutes=29))
        assert signed_in(client)
        # The request above counted as activity: 29 more minutes are fine again...
        later(monkeypatch, timedelta(minutes=29 + 29))
        assert signed_in(client)
        # ...but not 30 minutes of silence.
        later(monkeypatch, timedelta(minutes=29 + 29 + 30))
        response = client.get("/account", follow_redirects=True)
        assert b"signed out after 30 minutes without activity" in response.data

    def test_busy_session_ends_after_twelve_hours(self, client, make_user, monkeypatch):
        make_user("ada@example.org")
        form_sign_in(client, "ada@example.org")
        for minutes in range(20, 12 * 60, 20):
            later(monkeypatch, timedelta(minutes=minutes))
            assert signed_in(client), minutes
        later(monkeypatch, timedelta(hours=12))
        response = client.get("/account", follow_redirects=True)
        assert b"Your sign-in lasted as long as it may (12 hours)" in response.data

    def test_remembered_sign_in_ignores_idle_time_but_ends_after_14_days(
        self, app, client, make_user, monkeypatch
    ):
        make_user("ada@example.org")
        form_sign_in(client, "ada@example.org", remember="y")
        # The browser was closed: only the remember-me cookie is left.
        client.delete_cookie("hireladder_session", domain="hireladder.test")
        later(monkeypatch, timedelta(days=3))
        assert signed_in(client)
        client.delete_cookie("hireladder_session", domain="hireladder.test")
        later(monkeypatch, timedelta(days=14))
        assert not signed_in(client)

    def test_400_day_old_remembered_session_does_not_sign_in(
        self, app, client, make_user, monkeypatch
    ):
        make_user("ada@example.org")
        form_sign_in(client, "ada@example.org", remember="y")
        client.delete_cookie("hireladder_session", domain="hireladder.test")
        later(monkeypatch, timedelta(days=400))
        assert not signed_in(client)
        with app.app_context():
            row = db.session.scalars(select(UserSession)).one()
            assert row.end_reason == "expired" and row.revoked_at is not None

    def test_an_ended_session_is_audited(self, app, client, make_user, monkeypatch):
        make_user("ada@example.org")
        form_sign_in(client, "ada@example.org")
        later(monkeypatch, timedelta(hours=1))
        client.get("/account")
        with app.app_context():
            event = db.session.scalars(
                select(AuditEvent).where(AuditEvent.action == "auth.session_end")
            ).one()
            assert event.summary["reason"] == "idle"

    def test_last_seen_is_written_at_most_once_a_minute(self, app, client, make_user):
        make_user("ada@example.org")
        form_sign_in(client, "ada@example.org")
        with app.app_context():
            before = db.session.scalars(select(UserSession.last_seen_at)).one()
        for _ in range(3):
            assert signed_in(client)
        with app.app_context():
            assert db.session.scalars(select(UserSession.last_seen_at)).one() == before


class TestEndingSessions:
    def test_password_change_ends_every_other_session(self, app, make_user):
        make_user("ada@example.org")
        phone, laptop = app.test_client(), app.test_client()
        form_sign_in(phone, "ada@example.org", remember="y")
        form_sign_in(laptop, "ada@example.org")
        response = laptop.post(
            "/account/password",
            data={
                "current_password": PASSWORD,
                "new_password": NEW_PASSWORD,
                "confirm": NEW_PASSWORD,
            },
        )
        assert response.status_code == 302
        assert signed_in(laptop)
        # The phone's session and its remember-me cookie both stop working.
        assert not signed_in(phone)
        phone.delete_cookie("hireladder_session", domain="hireladder.test")
        assert not signed_in(phone)

    def test_account_lists_sessions_and_ends_one(self, app, make_user):
        make_user("ada@example.org")
        phone, laptop = app.test_client(), app.test_client()
        form_sign_in(phone, "ada@example.org")
        phone_agent = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
        laptop.post(
            "/login",
            data={"email": "ada@example.org", "password": PASSWORD},
            headers={"User-Agent": phone_agent},
        )
        page = laptop.get("/account").get_data(as_text=True)
        assert "Firefox on Linux" in page
        assert "this browser" in page
        with app.app_context():
            rows = db.session.scalars(select(UserSession).order_by(UserSession.id)).all()
            phone_session = rows[0].id
        response = laptop.post(f"/account/sessions/{phone_session}/end")
        assert response.status_code == 302
        assert not signed_in(phone)
        assert signed_in(laptop)

    def test_someone_elses_session_is_not_found(self, app, client, make_user):
        make_user("ada@example.org")
        make_user("bob@example.org")
        other = app.test_client()
        form_sign_in(other, "bob@example.org")
        form_sign_in(client, "ada@example.org")
        with app.app_context():
            bobs = db.session.scalars(
                select(UserSession.id).join(User).where(User.email == "bob@example.org")
            ).one()
        assert client.post(f"/account/sessions/{bobs}/end").status_code == 404
        assert signed_in(other)

    def test_admin_signs_a_user_out_everywhere_without_deactivating(
        self, app, client, auth, users, make_user
    ):
        ada = make_user("ada@example.org")
        device = app.test_client()
        form_sign_in(device, "ada@example.org")
        auth.login(users["admin"])
        response = client.post(f"/admin/users/{ada}/sessions/end")
        assert response.status_code == 302
        assert not signed_in(device)
        with app.app_context():
            assert db.session.get(User, ada).active
            event = db.session.scalars(
                select(AuditEvent).where(AuditEvent.action == "auth.sign_out_everywhere")
            ).one()
            assert event.actor_id == users["admin"] and event.summary["by_admin"] is True

    def test_sign_out_clears_site_data(self, client, make_user):
        make_user("ada@example.org")
        form_sign_in(client, "ada@example.org")
        response = client.post("/logout")
        assert response.headers["Clear-Site-Data"] == '"cache", "cookies", "storage"'
        assert "You are signed out." in client.get(response.location).get_data(as_text=True)

    def test_sign_out_everywhere_clears_site_data(self, client, make_user):
        make_user("ada@example.org")
        form_sign_in(client, "ada@example.org")
        response = client.post("/account/sign-out-everywhere")
        assert "cookies" in response.headers["Clear-Site-Data"]
        assert not signed_in(client)


class TestPasswords:
    def test_weak_new_password_is_refused(self, client, make_user):
        make_user("ada@example.org")
        form_sign_in(client, "ada@example.org")
        for weak in ("passwordpassword", "123456789012", "hireladder-demo", "ada@example.org"):
            response = client.post(
                "/account/password",
                data={"current_password": PASSWORD, "new_password": weak, "confirm": weak},
            )
            assert response.status_code == 200
            assert b"New password not accepted" in response.data, weak

    def test_admin_chosen_password_must_be_changed_first(self, app, client, auth, users):
        auth.login(users["admin"])
        response = client.post(
            "/admin/users/new",
            data={
                "email": "new@example.org",
                "display_name": "New Person",
                "password": NEW_PASSWORD,
                "roles": ["team_member"],
            },
        )
        assert response.status_code == 302
        person = app.test_client()
        form_sign_in(person, "new@example.org", NEW_PASSWORD)
        response = person.get("/careers/")
        assert response.status_code == 302
        assert response.location.endswith("/account/new-password")
        assert person.get("/api/v1/me").status_code == 403
        chosen = "correct horse battery staple"
        response = person.post(
            "/account/new-password",
            data={"current_password": NEW_PASSWORD, "new_password": chosen, "confirm": chosen},
        )
        assert response.status_code == 302
        assert person.get("/careers/").status_code == 200

    def test_reset_link_works_once_and_ends_sessions(self, app, client, make_user):
        user_id = make_user("ada@example.org")
        device = app.test_client()
        form_sign_in(device, "ada@example.org")
        with app.app_context():
            token = password_resets.issue(db.session.get(User, user_id), actor=None)
        assert client.get(f"/reset/{token}").status_code == 200
        data = {"new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
        assert client.post(f"/reset/{token}", data=data).status_code == 302
        assert not signed_in(device)
        form_sign_in(client, "ada@example.org", NEW_PASSWORD)
        assert signed_in(client)
        # Spent: the second use finds nothing.
        assert app.test_client().get(f"/reset/{token}").status_code == 404

    def test_reset_link_expires_after_30_minutes(self, app, client, make_user, monkeypatch):
        user_id = make_user("ada@example.org")
        with app.app_context():
            token = password_resets.issue(db.session.get(User, user_id), actor=None)
        moment = utcnow() + timedelta(minutes=30)
        monkeypatch.setattr("app.services.password_resets.utcnow", lambda: moment)
        assert client.get(f"/reset/{token}").status_code == 404

    def test_a_newer_link_replaces_the_older(self, app, client, make_user):
        user_id = make_user("ada@example.org")
        with app.app_context():
            first = password_resets.issue(db.session.get(User, user_id), actor=None)
            password_resets.issue(db.session.get(User, user_id), actor=None)
        assert client.get(f"/reset/{first}").status_code == 404

    @pytest.mark.parametrize("token", ["nope", "x" * 5000, "%00"])
    def test_unknown_tokens_are_not_found(self, client, token):
        assert client.get(f"/reset/{token}").status_code == 404

    def test_set_password_ends_sessions_and_requires_a_change(self, app, make_user):
        user_id = make_user("ada@example.org")
        device = app.test_client()
        form_sign_in(device, "ada@example.org")
        with app.app_context():
            accounts.set_password(db.session.get(User, user_id), NEW_PASSWORD, actor=None)
            assert db.session.get(User, user_id).must_change_password
        assert not signed_in(device)

    def test_live_sessions_leave_out_ended_ones(self, app, make_user):
        user_id = make_user("ada@example.org")
        with app.app_context():
            user = db.session.get(User, user_id)
            keep = sessions.start(user)
            gone = sessions.start(user)
            db.session.commit()
            sessions.sign_out(user, gone)
            live = sessions.live(user)
            assert [s.token_hash for s in live] == [sessions.digest(keep)]


def test_behind_a_proxy_the_clients_address_is_kept(tmp_path):
    """With HIRELADDER_PROXY_HOPS=1 the session (and so throttling and the audit log) sees
    the address the proxy forwarded; without it, a forged header changes nothing."""
    from app import create_app
    from app.config import load_config

    assert load_config(tmp_path, environ={"HIRELADDER_PROXY_HOPS": "1"})["PROXY_HOPS"] == 1
    seen: dict[str, str | None] = {}
    for hops in (0, 1):
        app = create_app(
            {
                "HIRELADDER_ENV": "testing",
                "SECRET_KEY": "x",
                "SQLALCHEMY_DATABASE_URI": "sqlite://",
                "PROXY_HOPS": hops,
            }
        )

        @app.get("/where")
        def where() -> str:
            from flask import request

            return request.remote_addr or ""

        response = app.test_client().get("/where", headers={"X-Forwarded-For": "198.51.100.7"})
        seen[str(hops)] = response.get_data(as_text=True)
    assert seen == {"0": "127.0.0.1", "1": "198.51.100.7"}


def test_a_password_change_needs_the_current_password(app, client, make_user):
    make_user("ada@example.org")
    form_sign_in(client, "ada@example.org")
    response = client.post(
        "/account/password",
        data={
            "current_password": "not the current one",
            "new_password": NEW_PASSWORD,
            "confirm": NEW_PASSWORD,
        },
    )
    assert response.status_code == 200
    assert b"Your current password is not right." in response.data
    client.post("/logout")
    form_sign_in(client, "ada@example.org")  # the old password still works
