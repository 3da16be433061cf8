"""Two-step sign-in: enrolment, the second step, single-use codes, throttling, the role
gate and the admin's reset. Time is the app's clock, moved by the test (no wall clock)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pyotp
import pytest
from sqlalchemy import func, select

from app import clock
from app.db import db
from app.models import AuditEvent, MfaEnrolment, Role, SignInCounter, User, UserSession
from app.services import api_tokens, mfa, sign_in
from tests.conftest import PASSWORD, login_as

# Five seconds into a 30-second TOTP step, so "the next step" is exactly +30 s.
START = datetime(2026, 6, 1, 12, 0, 5, tzinfo=UTC)


@dataclass
class Clock:
    now: datetime = START

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def frozen(monkeypatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr(clock, "utcnow", lambda: fake.now)
    return fake


@pytest.fixture
def required_roles(app):
    app.config["MFA_REQUIRED_ROLES"] = ("admin", "recruiter")
    try:
        yield
    finally:
        app.config["MFA_REQUIRED_ROLES"] = ()


def page_secret(html: bytes) -> str:
    found = re.search(rb'id="mfa-secret">([A-Z2-7 ]+)<', html)
    assert found, "the key is shown as text"
    return found.group(1).decode().replace(" ", "")


def page_codes(html: bytes) -> list[str]:
    return [c.decode() for c in re.findall(rb"<li><code>([0-9a-z-]{29})</code></li>", html)]


@dataclass
class Enrolled:
    user_id: int
    email: str
    secret: str
    recovery_codes: list[str]

    def code(self, at: datetime) -> str:
        return pyotp.TOTP(self.secret).at(at)


def enrol(app, client, frozen: Clock, user_id: int) -> Enrolled:
    """Turn two-step sign-in on through the pages, then sign the client out."""
    login_as(app, client, user_id)
    assert client.post("/account/mfa/setup").status_code == 302
    secret = page_secret(client.get("/account/mfa").data)
    response = client.post("/account/mfa/confirm", data={"code": pyotp.TOTP(secret).at(frozen.now)})
    codes = page_codes(response.data)
    client.post("/logout")
    # The code used to confirm cannot be used again: later sign-ins start a step on.
    frozen.advance(30)
    with app.app_context():
        email = db.session.get(User, user_id).email
    return Enrolled(user_id, email, secret, codes)


@pytest.fixture
def enrolled(app, client, frozen, make_user) -> Enrolled:
    return enrol(app, client, frozen, make_user("ada@example.org"))


def audit_rows(app, prefix: str) -> list[AuditEvent]:
    with app.app_context():
        rows = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action.like(f"{prefix}%")).order_by(AuditEvent.id)
        )
        return list(rows)


def session_count(app, user_id: int) -> int:
    with app.app_context():
        return db.session.scalar(
            select(func.count()).select_from(UserSession).where(UserSession.user_id == user_id)
        )


def password_step(client, email: str, **extra):
    return client.post("/login", data={"email": email, "password": PASSWORD, **extra})


# --- enrolment -------------------------------------------------------------------------


def test_account_page_offers_set_up(app, client, make_user):
    login_as(app, client, make_user("ada@example.org"))
    page = client.get("/account")
    assert b"Set up two-step sign-in" in page.data
    assert b'action="/account/mfa/setup"' in page.data


def test_enrolment_shows_qr_code_and_key_and_needs_a_right_code(app, client, frozen, make_user):
    user_id = make_user("ada@example.org")
    login_as(app, client, user_id)
    client.post("/account/mfa/setup")
    page = client.get("/account/mfa")
    secret = page_secret(page.data)
    # The QR code is an SVG data: image (the CSP allows data: images, no inline script).
    assert b'src="data:image/svg+xml' in page.data
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]

    wrong = client.post("/account/mfa/confirm", data={"code": "000000"})
    assert wrong.status_code == 200
    assert b"That code is not right" in wrong.data
    # A code from another secret is wrong too.
    other = client.post(
        "/account/mfa/confirm", data={"code": pyotp.TOTP(pyotp.random_base32()).at(frozen.now)}
    )
    assert b"That code is not right" in other.data
    with app.app_context():
        assert not mfa.is_enabled(db.session.get(User, user_id))

    right = client.post("/account/mfa/confirm", data={"code": pyotp.TOTP(secret).at(frozen.now)})
    assert right.status_code == 200
    codes = page_codes(right.data)
    assert len(codes) == 10
    assert right.headers["Cache-Control"] == "no-store"
    with app.app_context():
        assert mfa.is_enabled(db.session.get(User, user_id))
    assert [e.action for e in audit_rows(app, "mfa.")] == ["mfa.setup_started", "mfa.enable"]
    assert b"Two-step sign-in is on" in client.get("/account/mfa").data


def test_secret_is_encrypted_and_recovery_codes_hashed_at_rest(app, enrolled):
    with app.app_context():
        row = db.session.get(MfaEnrolment, enrolled.user_id)
        assert enrolled.secret not in row.secret_encrypted
        from app.models import MfaRecoveryCode

        stored = set(db.session.scalars(select(MfaRecoveryCode.code_hash)))
    assert stored and not stored & set(enrolled.recovery_codes)


def test_a_second_set_up_while_on_is_refused(app, client, enrolled):
    login_as(app, client, enrolled.user_id)
    response = client.post("/account/mfa/setup", follow_redirects=True)
    assert b"already on" in response.data


# --- the second step ---------------------------------------------------------------------


def test_sign_in_with_mfa_needs_the_second_step(app, client, frozen, enrolled):
    before = session_count(app, enrolled.user_id)
    response = password_step(client, enrolled.email, next="/careers/")
    assert response.status_code == 302
    assert response.headers["Location"] == "/login/verify"
    # The password alone starts no session and signs nobody in.
    assert session_count(app, enrolled.user_id) == before
    assert client.get("/account").status_code == 302
    assert b"authenticator app" in client.get("/login/verify").data

    response = client.post("/login/verify", data={"code": enrolled.code(frozen.now)})
    assert response.status_code == 302
    assert response.headers["Location"] == "/careers/"
    assert client.get("/account").status_code == 200
    assert session_count(app, enrolled.user_id) == before + 1
    sign_ins = audit_rows(app, "auth.sign_in")
    assert sign_ins[-1].action == "auth.sign_in"
    # The enrolment's session had no user agent: this browser is a new device.
    assert sign_ins[-1].summary == {
        "remember": False,
        "mfa": True,
        "method": "totp",
        "new_device": True,
    }


def test_sign_in_service_reports_the_second_step_without_a_session(app, frozen, enrolled):
    with app.app_context():
        result = sign_in.sign_in(enrolled.email, PASSWORD, address="10.0.0.1")
        assert result.second_step and result.user is not None
        assert result.session_token is None
        # A right password before the code is not forgiven as a success would be (that
        # would end the run of failures between wrong codes): its attempt stays counted.
        key = sign_in.account_key(enrolled.email, "10.0.0.1")
        assert db.session.get(SignInCounter, key).attempts == 1


def test_remember_me_does_not_skip_the_second_step(app, client, frozen, enrolled):
    response = password_step(client, enrolled.email, remember="y")
    assert response.headers["Location"] == "/login/verify"
    assert client.get_cookie("hireladder_remember", domain="hireladder.test") is None
    assert client.get("/account").status_code == 302

    client.post("/login/verify", data={"code": enrolled.code(frozen.now)})
    # Kept signed in only now, after the code.
    assert client.get_cookie("hireladder_remember", domain="hireladder.test") is not None

    # A remember-me cookie of an earlier sign-in does not let a new browser skip it.
    other = app.test_client()
    assert password_step(other, enrolled.email).headers["Location"] == "/login/verify"


def test_a_replayed_code_is_refused(app, client, frozen, enrolled):
    code = enrolled.code(frozen.now)
    password_step(client, enrolled.email)
    assert client.post("/login/verify", data={"code": code}).status_code == 302
    client.post("/logout")

    # Same code, same 30-second window, another browser: refused.
    thief = app.test_client()
    password_step(thief, enrolled.email)
    response = thief.post("/login/verify", data={"code": code})
    assert response.status_code == 200
    assert b"That code is not right, or was used already" in response.data
    # The code of an earlier step is refused too, even within the accepted drift.
    earlier = enrolled.code(frozen.now - timedelta(seconds=30))
    assert thief.post("/login/verify", data={"code": earlier}).status_code == 200

    frozen.advance(30)
    assert thief.post("/login/verify", data={"code": enrolled.code(frozen.now)}).status_code == 302


def test_the_code_that_confirmed_enrolment_cannot_sign_in(app, client, frozen, make_user):
    user_id = make_user("ada@example.org")
    login_as(app, client, user_id)
    client.post("/account/mfa/setup")
    secret = page_secret(client.get("/account/mfa").data)
    code = pyotp.TOTP(secret).at(frozen.now)
    client.post("/account/mfa/confirm", data={"code": code})
    client.post("/logout")
    password_step(client, "ada@example.org")
    assert client.post("/login/verify", data={"code": code}).status_code == 200


def test_a_recovery_code_works_once(app, client, frozen, enrolled):
    recovery = enrolled.recovery_codes[0]
    password_step(client, enrolled.email)
    # Typed as people do from paper: upper case, spaces for dashes.
    response = client.post("/login/verify", data={"code": recovery.upper().replace("-", " ")})
    assert response.status_code == 302
    assert b"9 left" in client.get("/").data
    used = audit_rows(app, "mfa.recovery_code_used")
    assert len(used) == 1 and used[0].summary == {"left": 9}
    assert audit_rows(app, "auth.sign_in")[-1].summary["method"] == "recovery_code"
    client.post("/logout")

    password_step(client, enrolled.email)
    response = client.post("/login/verify", data={"code": recovery})
    assert response.status_code == 200
    assert b"was used already" in response.data
    assert (
        client.post("/login/verify", data={"code": enrolled.recovery_codes[1]}).status_code == 302
    )


def test_wrong_codes_are_throttled_and_end_the_pending_sign_in(app, client, frozen, enrolled):
    limit = app.config["LOGIN_THROTTLE_ACCOUNT_LIMIT"]
    password_step(client, enrolled.email)
    for _ in range(limit - 1):
        response = client.post("/login/verify", data={"code": "000000"})
        assert response.status_code == 200
    response = client.post("/login/verify", data={"code": "000000"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/login"
    assert b"Too many failed sign-in attempts" in client.get("/login").data
    # The pending sign-in is over: even the right code now needs the password again.
    response = client.post("/login/verify", data={"code": enrolled.code(frozen.now)})
    assert response.headers["Location"] == "/login"
    # The password and the wrong codes share the limit: the password's attempt, then
    # limit - 1 codes checked and refused; the next one is not checked at all.
    failures = [r for r in audit_rows(app, "auth.sign_in_failed") if r.summary.get("mfa")]
    assert len(failures) == limit - 1
    assert audit_rows(app, "auth.sign_in_throttled")
    # They count as failed sign-ins of the account: the password step is throttled too.
    with app.app_context():
        result = sign_in.sign_in(enrolled.email, PASSWORD, address="127.0.0.1", now=frozen.now)
    assert result.error and "Too many failed sign-in attempts" in result.error
    assert not result.second_step


def test_a_new_password_step_does_not_reset_the_count_of_wrong_codes(app, client, frozen, enrolled):
    limit = app.config["LOGIN_THROTTLE_ACCOUNT_LIMIT"]
    for _ in range(limit - 1):
        password_step(client, enrolled.email)
        client.post("/login/verify", data={"code": "000000"})
    password_step(client, enrolled.email)
    response = client.post("/login/verify", data={"code": "000000"})
    assert response.headers["Location"] == "/login"


def test_the_pending_sign_in_expires(app, client, frozen, enrolled):
    password_step(client, enrolled.email)
    frozen.advance(app.config["MFA_PENDING_LIFETIME"].total_seconds())
    response = client.post("/login/verify", data={"code": enrolled.code(frozen.now)})
    assert response.status_code == 302
    assert response.headers["Location"] == "/login"
    assert b"expired" in client.get("/login").data
    assert client.get("/account").status_code == 302


def test_verify_without_a_password_step_goes_back_to_sign_in(client, frozen, enrolled):
    response = client.post("/login/verify", data={"code": enrolled.code(frozen.now)})
    assert response.headers["Location"] == "/login"


def test_a_deactivated_account_cannot_finish_its_second_step(app, client, frozen, enrolled):
    from app.services import accounts

    password_step(client, enrolled.email)
    with app.app_context():
        accounts.set_active(db.session.get(User, enrolled.user_id), False, actor=None)
    response = client.post("/login/verify", data={"code": enrolled.code(frozen.now)})
    assert response.headers["Location"] == "/login"


# --- turning off, new codes ---------------------------------------------------------------


def test_turning_off_needs_the_password_or_a_code(app, client, frozen, enrolled):
    login_as(app, client, enrolled.user_id)
    response = client.post("/account/mfa/disable", data={"proof": "not my password"})
    assert b"neither your password nor a current code" in response.data
    with app.app_context():
        assert mfa.is_enabled(db.session.get(User, enrolled.user_id))
    response = client.post("/account/mfa/disable", data={"proof": PASSWORD})
    assert response.status_code == 302
    with app.app_context():
        assert not mfa.is_enabled(db.session.get(User, enrolled.user_id))
    assert audit_rows(app, "mfa.disable")[-1].summary == {"proof": "password", "sessions_ended": 0}
    # Off: the password alone signs in again.
    client.post("/logout")
    assert password_step(client, enrolled.email).headers["Location"] == "/"


def test_wrong_proofs_on_the_account_page_are_throttled(app, client, frozen, enrolled):
    """A stolen session cannot guess the password or a code through these forms."""
    login_as(app, client, enrolled.user_id)
    for _ in range(app.config["LOGIN_THROTTLE_ACCOUNT_LIMIT"]):
        client.post("/account/mfa/disable", data={"proof": "123456"})
    response = client.post("/account/mfa/disable", data={"proof": PASSWORD})
    assert b"Too many failed sign-in attempts" in response.data
    response = client.post("/account/mfa/recovery-codes", data={"proof": PASSWORD})
    assert b"Too many failed sign-in attempts" in response.data
    with app.app_context():
        assert mfa.is_enabled(db.session.get(User, enrolled.user_id))


def test_turning_off_with_a_code(app, client, frozen, enrolled):
    login_as(app, client, enrolled.user_id)
    response = client.post("/account/mfa/disable", data={"proof": enrolled.code(frozen.now)})
    assert response.status_code == 302
    assert audit_rows(app, "mfa.disable")[-1].summary == {"proof": "totp", "sessions_ended": 0}


def test_new_recovery_codes_replace_the_old_ones(app, client, frozen, enrolled):
    login_as(app, client, enrolled.user_id)
    wrong = client.post("/account/mfa/recovery-codes", data={"proof": "nope"})
    assert b"neither your password" in wrong.data
    response = client.post("/account/mfa/recovery-codes", data={"proof": PASSWORD})
    new_codes = page_codes(response.data)
    assert len(new_codes) == 10 and not set(new_codes) & set(enrolled.recovery_codes)
    assert audit_rows(app, "mfa.recovery_codes")[-1].summary == {"proof": "password", "count": 10}
    client.post("/logout")

    password_step(client, enrolled.email)
    assert (
        client.post("/login/verify", data={"code": enrolled.recovery_codes[0]}).status_code == 200
    )
    assert client.post("/login/verify", data={"code": new_codes[0]}).status_code == 302


# --- required for some roles ----------------------------------------------------------------


def test_required_role_is_kept_on_the_set_up_page(app, client, frozen, users, required_roles):
    login_as(app, client, users["recruiter"])
    for url in ("/", "/hiring/requisitions", "/account", "/careers/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.headers["Location"] == "/account/mfa"
    page = client.get("/account/mfa")
    assert page.status_code == 200
    assert b"Required for your role" in page.data
    static = client.get("/static/app.css")
    static.close()
    assert static.status_code == 200
    # The JSON API with the session cookie is refused too, in JSON.
    api = client.get("/api/v1/me")
    assert api.status_code == 403 and api.is_json

    client.post("/account/mfa/setup")
    secret = page_secret(client.get("/account/mfa").data)
    client.post("/account/mfa/confirm", data={"code": pyotp.TOTP(secret).at(frozen.now)})
    assert client.get("/hiring/requisitions").status_code == 200
    assert client.post("/logout").status_code == 302


def test_roles_not_listed_are_not_held_back(app, client, users, required_roles):
    login_as(app, client, users["team_member"])
    assert client.get("/careers/").status_code == 200


def test_sign_in_of_a_required_role_lands_on_set_up(app, client, users, required_roles):
    response = password_step(client, "admin@example.org")
    assert response.status_code == 302
    response = client.get(response.headers["Location"])
    assert response.headers["Location"] == "/account/mfa"


def test_api_tokens_are_not_held_back_by_the_gate(app, client, users, required_roles):
    with app.app_context():
        _row, raw = api_tokens.issue(db.session.get(User, users["recruiter"]), actor=None)
    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 200


# --- the admin's reset ----------------------------------------------------------------------


def test_admin_resets_a_users_mfa(app, client, frozen, enrolled, users):
    login_as(app, client, users["admin"])
    page = client.get(f"/admin/users/{enrolled.user_id}")
    assert b"Reset two-step sign-in" in page.data
    response = client.post(f"/admin/users/{enrolled.user_id}/mfa-reset", follow_redirects=True)
    assert b"Two-step sign-in reset" in response.data
    with app.app_context():
        assert not mfa.is_enabled(db.session.get(User, enrolled.user_id))
    reset = audit_rows(app, "mfa.reset")[-1]
    assert reset.actor_id == users["admin"] and reset.object_id == str(enrolled.user_id)
    client.post("/logout")
    assert password_step(client, enrolled.email).headers["Location"] == "/"


def test_reset_of_a_user_that_does_not_exist_is_404(app, client, users):
    login_as(app, client, users["admin"])
    assert client.post("/admin/users/999999/mfa-reset").status_code == 404


def test_only_admins_reset(app, client, enrolled, users):
    login_as(app, client, users["recruiter"])
    assert client.post(f"/admin/users/{enrolled.user_id}/mfa-reset").status_code == 403
    with app.app_context():
        assert mfa.is_enabled(db.session.get(User, enrolled.user_id))


def test_cli_mfa_reset(app, runner, enrolled):
    result = runner.invoke(args=["users", "mfa-reset", enrolled.email])
    assert result.exit_code == 0, result.output
    assert "reset" in result.output
    again = runner.invoke(args=["users", "mfa-reset", enrolled.email])
    assert "nothing to reset" in again.output
    unknown = runner.invoke(args=["users", "mfa-reset", "nobody@example.org"])
    assert unknown.exit_code != 0 and "No user" in unknown.output
    assert audit_rows(app, "mfa.reset")[0].channel == "cli"


# --- settings -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mode", "environ", "expected"),
    [
        ("production", {}, ("admin", "recruiter")),
        ("development", {}, ()),
        ("production", {"HIRELADDER_MFA_REQUIRED_ROLES": ""}, ()),
        ("development", {"HIRELADDER_MFA_REQUIRED_ROLES": "admin"}, ("admin",)),
    ],
)
def test_required_roles_setting(tmp_path, mode, environ, expected):
    from app.config import load_config

    env = {"HIRELADDER_ENV": mode, "SECRET_KEY": "k", **environ}
    assert load_config(tmp_path, env)["MFA_REQUIRED_ROLES"] == expected


def test_unknown_role_in_the_setting_is_refused(tmp_path):
    from app.config import ConfigError, load_config

    env = {"SECRET_KEY": "k", "HIRELADDER_MFA_REQUIRED_ROLES": "admin,ceo"}
    with pytest.raises(ConfigError, match="unknown roles: ceo"):
        load_config(tmp_path, env)


def test_roles_are_read_from_the_role_table(app, make_user, required_roles):
    with app.app_context():
        user = db.session.get(User, make_user("r@example.org", (Role.INTERVIEWER,)))
        assert not mfa.is_required(user)


# --- changes of a factor end the other sessions ------------------------------------------


def test_turning_on_two_step_sign_in_ends_the_other_sessions(app, client, frozen, make_user):
    user_id = make_user("ada@example.org")
    laptop = app.test_client()
    login_as(app, laptop, user_id)
    login_as(app, client, user_id)
    client.post("/account/mfa/setup")
    secret = page_secret(client.get("/account/mfa").data)
    client.post("/account/mfa/confirm", data={"code": pyotp.TOTP(secret).at(frozen.now)})
    assert client.get("/account").status_code == 200  # this browser stays
    assert laptop.get("/account").status_code == 302  # the other one is signed out
    assert audit_rows(app, "mfa.enable")[-1].summary == {"sessions_ended": 1}


def test_an_admin_reset_ends_the_users_sessions(app, client, frozen, enrolled, users):
    device = app.test_client()
    password_step(device, enrolled.email)
    device.post("/login/verify", data={"code": enrolled.code(frozen.now)})
    assert device.get("/account").status_code == 200
    login_as(app, client, users["admin"])
    client.post(f"/admin/users/{enrolled.user_id}/mfa-reset")
    assert device.get("/account").status_code == 302


def test_a_password_reset_link_does_not_skip_the_second_step(app, client, frozen, enrolled):
    from app.services import password_resets

    with app.app_context():
        token = password_resets.issue(db.session.get(User, enrolled.user_id), actor=None)
    new = "violet kettle on the moor"
    assert (
        client.post(f"/reset/{token}", data={"new_password": new, "confirm": new}).status_code
        == 302
    )
    response = client.post("/login", data={"email": enrolled.email, "password": new})
    assert response.headers["Location"] == "/login/verify"
    assert client.get("/account").status_code == 302
