from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from app.db import db
from app.models import AuditEvent, SignInCounter, User
from app.services import accounts, api_tokens, sign_in
from tests.conftest import PASSWORD


def audit_actions(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def session_cookie(client) -> str:
    cookie = client.get_cookie("hireladder_session", domain="hireladder.test")
    assert cookie is not None
    return cookie.value


def test_wrong_password_is_refused_with_a_clear_message(auth, make_user):
    make_user("ada@example.org")
    response = auth.login_form("ada@example.org", "wrong password!")
    assert response.status_code == 200
    assert b"E-mail address or password is not right." in response.data


def test_unknown_account_gets_the_same_message(auth):
    response = auth.login_form("nobody@example.org", "whatever password")
    assert b"E-mail address or password is not right." in response.data


def test_email_is_case_insensitive_and_unique(app, make_user):
    make_user("Ada@Example.org")
    with app.app_context():
        assert accounts.get_user_by_email("ADA@example.ORG") is not None
        with pytest.raises(accounts.ServiceError, match="already exists"):
            accounts.create_user("ada@EXAMPLE.org", "Other", PASSWORD, [], actor=None)


@pytest.mark.parametrize(
    ("next_value", "expected_location"),
    [
        ("/account", "/account"),
        ("/admin/users?page=2", "/admin/users?page=2"),
        ("https://evil.example.com/", "/"),
        ("//evil.example.com/", "/"),
        ("/\\evil.example.com", "/"),
        ("javascript:alert(1)", "/"),
        ("", "/"),
    ],
)
def test_next_only_goes_to_same_site_paths(auth, make_user, next_value, expected_location):
    make_user("ada@example.org")
    response = auth.login_form("ada@example.org", next=next_value)
    assert response.status_code == 302
    assert response.headers["Location"] == expected_location


def test_sign_out_invalidates_the_session_cookie(app, auth, client, make_user):
    make_user("ada@example.org")
    auth.login_form("ada@example.org")
    stolen = session_cookie(client)
    assert client.get("/account").status_code == 200

    assert client.post("/logout").status_code == 302
    assert client.get("/account").status_code == 302

    # Replaying the cookie captured while signed in must not work.
    replay = app.test_client()
    replay.set_cookie("hireladder_session", stolen, domain="hireladder.test")
    response = replay.get("/account")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_remember_me_cookie_is_refused_after_sign_out(app, auth, client, make_user):
    make_user("ada@example.org")
    auth.login_form("ada@example.org", remember="y")
    remember = client.get_cookie("hireladder_remember", domain="hireladder.test")
    assert remember is not None
    assert remember.http_only
    assert remember.same_site == "Lax"
    client.post("/logout")

    replay = app.test_client()
    replay.set_cookie("hireladder_remember", remember.value, domain="hireladder.test")
    assert replay.get("/account").status_code == 302


def test_deactivation_ends_existing_sessions(app, auth, client, make_user):
    user_id = make_user("ada@example.org")
    auth.login_form("ada@example.org")
    assert client.get("/account").status_code == 200
    with app.app_context():
        accounts.set_active(db.session.get(User, user_id), False, actor=None, channel="cli")
    assert client.get("/account").status_code == 302
    response = auth.login_form("ada@example.org")
    assert b"deactivated" in response.data


def test_sign_out_everywhere_ends_other_sessions(app, auth, client, make_user):
    make_user("ada@example.org")
    other = app.test_client()
    other.post("/login", data={"email": "ada@example.org", "password": PASSWORD})
    assert other.get("/account").status_code == 200
    auth.login_form("ada@example.org")
    client.post("/account/sign-out-everywhere")
    assert other.get("/account").status_code == 302


def test_authentication_events_are_audited(app, auth, client, make_user):
    make_user("ada@example.org")
    auth.login_form("ada@example.org", "bad password!")
    auth.login_form("ada@example.org")
    client.post("/logout")
    actions = audit_actions(app)
    assert actions[-3:] == ["auth.sign_in_failed", "auth.sign_in", "auth.sign_out"]
    with app.app_context():
        events = db.session.scalars(select(AuditEvent).where(AuditEvent.action.like("auth.%")))
        for event in events:
            # No personal data in the summary: no e-mail address, no password.
            assert "ada" not in str(event.summary).lower()


class TestThrottling:
    def test_failures_lock_the_account_from_that_address_only(self, app, make_user):
        make_user("ada@example.org")
        now = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)
        limit = app.config["LOGIN_THROTTLE_ACCOUNT_LIMIT"]
        with app.app_context():
            for _ in range(limit):
                result = sign_in.sign_in("ada@example.org", "bad", address="10.6.6.6", now=now)
                assert result.error == sign_in.GENERIC_FAILURE
            # The guesser's address is refused even the right password, with a time...
            result = sign_in.sign_in(
                "ada@example.org", PASSWORD, address="10.6.6.6", now=now + timedelta(minutes=1)
            )
            assert result.user is None
            assert "Try again in 14 minutes (at 12:15 UTC)" in (result.error or "")
            # ...while the owner, elsewhere, signs in: nobody can lock them out.
            owner = sign_in.sign_in(
                "ada@example.org", PASSWORD, address="10.9.9.9", now=now + timedelta(minutes=1)
            )
            assert owner.user is not None
            # After the window, the guesser's address may try again.
            later = now + app.config["LOGIN_THROTTLE_WINDOW"] + timedelta(seconds=1)
            result = sign_in.sign_in("ada@example.org", PASSWORD, address="10.6.6.6", now=later)
            assert result.user is not None

    def test_a_success_resets_the_account_count(self, app, make_user):
        make_user("ada@example.org")
        now = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)
        limit = app.config["LOGIN_THROTTLE_ACCOUNT_LIMIT"]
        with app.app_context():
            for _ in range(limit - 1):
                sign_in.sign_in("ada@example.org", "bad", address="10.0.0.1", now=now)
            assert sign_in.sign_in("ada@example.org", PASSWORD, address="10.0.0.1", now=now).user
            for _ in range(limit - 1):
                sign_in.sign_in("ada@example.org", "bad", address="10.0.0.1", now=now)
            assert sign_in.sign_in("ada@example.org", PASSWORD, address="10.0.0.1", now=now).user

    def test_address_is_throttled_across_accounts(self, app, make_user):
        make_user("ada@example.org")
        now = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)
        limit = app.config["LOGIN_THROTTLE_ADDRESS_LIMIT"]
        with app.app_context():
            for i in range(limit):
                sign_in.sign_in(f"guess{i}@example.org", "bad", address="10.6.6.6", now=now)
            blocked = sign_in.sign_in("ada@example.org", PASSWORD, address="10.6.6.6", now=now)
            assert blocked.user is None
            assert "Too many failed sign-in attempts" in (blocked.error or "")
            other = sign_in.sign_in("ada@example.org", PASSWORD, address="10.7.7.7", now=now)
            assert other.user is not None

    def test_successes_give_their_attempt_back_to_the_address(self, app, make_user):
        """An office behind one address: many people signing in is not an attack."""
        make_user("ada@example.org")
        now = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)
        with app.app_context():
            for _ in range(app.config["LOGIN_THROTTLE_ADDRESS_LIMIT"] + 5):
                result = sign_in.sign_in("ada@example.org", PASSWORD, address="10.1.1.1", now=now)
                assert result.user is not None

    def test_counters_keep_no_email_or_address(self, app, auth, make_user):
        make_user("ada@example.org")
        auth.login_form("ada@example.org", "bad password")
        with app.app_context():
            rows = db.session.scalars(select(SignInCounter)).all()
            assert sorted(r.attempts for r in rows) == [1, 1]
            assert sign_in.account_key("ada@example.org", "127.0.0.1") in {r.key for r in rows}
            assert not any("ada" in r.key or "127.0.0.1" in r.key for r in rows)

    def test_throttled_form_shows_when_to_retry(self, app, auth, make_user):
        make_user("ada@example.org")
        for _ in range(app.config["LOGIN_THROTTLE_ACCOUNT_LIMIT"]):
            auth.login_form("ada@example.org", "bad password")
        response = auth.login_form("ada@example.org")
        assert b"Too many failed sign-in attempts. Try again in" in response.data
        assert b"UTC" in response.data

    def test_unknown_and_known_emails_cost_one_password_check_each(
        self, app, make_user, monkeypatch
    ):
        """The same work whether the account exists: one argon2 verification, no hash."""
        from argon2 import PasswordHasher

        make_user("ada@example.org")
        calls: list[str] = []
        real_verify, real_hash = PasswordHasher.verify, PasswordHasher.hash

        def verify(self, *args, **kwargs):
            calls.append("verify")
            return real_verify(self, *args, **kwargs)

        def hash_(self, *args, **kwargs):
            calls.append("hash")
            return real_hash(self, *args, **kwargs)

        with app.app_context():
            from app.services import passwords

            passwords.warm_up()
            monkeypatch.setattr(PasswordHasher, "verify", verify)
            monkeypatch.setattr(PasswordHasher, "hash", hash_)
            sign_in.sign_in("nobody@example.org", "wrong password", address="10.2.2.2")
            unknown = list(calls)
            calls.clear()
            sign_in.sign_in("ada@example.org", "wrong password", address="10.2.2.3")
            known = list(calls)
        assert unknown == known == ["verify"]


class TestApiTokens:
    def test_token_authenticates_and_revocation_is_final(self, app, client, make_user):
        user_id = make_user("ada@example.org")
        with app.app_context():
            token, raw = api_tokens.issue(db.session.get(User, user_id), actor=None)
            token_id = token.id
            # Stored hashed: the raw value is nowhere in the row.
            assert raw not in (token.token_hash, token.prefix)
        headers = {"Authorization": f"Bearer {raw}"}
        response = client.get("/api/v1/me", headers=headers)
        assert response.status_code == 200
        assert response.json["email"] == "ada@example.org"
        with app.app_context():
            from app.models import ApiToken

            assert db.session.get(ApiToken, token_id).last_used_at is not None
        with app.app_context():
            from app.models import ApiToken

            api_tokens.revoke(db.session.get(ApiToken, token_id), actor=None)
        response = client.get("/api/v1/me", headers=headers)
        assert response.status_code == 401
        assert "was revoked on" in response.json["error"]["detail"]

    def test_a_bad_token_is_not_rescued_by_a_session_cookie(self, app, client, auth, users):
        auth.login(users["team_member"])
        assert client.get("/api/v1/me").status_code == 200
        response = client.get("/api/v1/me", headers={"Authorization": "Bearer hl_nope"})
        assert response.status_code == 401

    def test_token_of_a_deactivated_user_is_refused(self, app, client, make_user):
        user_id = make_user("ada@example.org")
        with app.app_context():
            user = db.session.get(User, user_id)
            _, raw = api_tokens.issue(user, actor=None)
            accounts.set_active(user, False, actor=None, channel="cli")
        response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"})
        assert response.status_code == 401


class TestPasswordFields:
    """ASVS 6.2.6-6.2.9: masked fields that password managers may fill, passwords checked
    exactly as typed, and long ones welcome."""

    @pytest.mark.parametrize("path", ["/login", "/account"])
    def test_password_fields_are_masked_and_may_be_pasted_or_filled(
        self, client, auth, users, path
    ):
        if path != "/login":
            auth.login(users["team_member"])
        page = client.get(path).get_data(as_text=True)
        fields = re.findall(
            r"<input[^>]*name=\"(?:password|current_password|new_password|confirm)\"[^>]*>", page
        )
        assert fields
        for field in fields:
            assert 'type="password"' in field
            assert 'autocomplete="off"' not in field and "onpaste" not in field

    def test_a_password_is_checked_exactly_as_typed(self, app, make_user):
        long_one = "a sentence of sixty-four characters or more works just fine here!!"
        assert len(long_one) >= 64
        with app.app_context():
            from app.services.password_policy import password_problem

            assert password_problem(long_one) is None
        make_user("ada@example.org", password=long_one)
        with app.app_context():
            ok = sign_in.sign_in("ada@example.org", long_one, address="10.4.4.4")
            assert ok.user is not None
            for variant in (long_one.upper(), long_one[:-1], long_one + " ", " " + long_one):
                refused = sign_in.sign_in("ada@example.org", variant, address="10.4.4.5")
                assert refused.user is None, repr(variant)
