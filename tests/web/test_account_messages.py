"""Security messages about a person's own account: the password reset link asked for on
the sign-in page (same answer for every address, rate-limited), and "a new device signed
in" (not on an account's first sign-in, not for a browser seen in the last 90 days)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from app import clock
from app.db import db
from app.models import AuditEvent, OutboxMessage, PasswordReset, User
from app.notifications import worker
from app.services import password_resets, sessions, sign_in
from pipelines.outbox import MessageStatus
from tests.conftest import PASSWORD
from tests.web.test_mfa import Clock, enrol

RESET_LINK = re.compile(r"http://localhost/reset/([A-Za-z0-9_\-]+)")
FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)


def messages(app, kind: str) -> list[OutboxMessage]:
    with app.app_context():
        rows = db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.kind == kind).order_by(OutboxMessage.id)
        ).all()
        db.session.expunge_all()
        return list(rows)


def reset_rows(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(PasswordReset)) or 0


def forgot(client, email: str, **kwargs):
    return client.post("/login/forgot", data={"email": email}, **kwargs)


# --- password reset by e-mail ------------------------------------------------------


def test_the_sign_in_page_links_to_the_form(client):
    page = client.get("/login").text
    assert 'href="/login/forgot"' in page and "Forgot your password?" in page
    form = client.get("/login/forgot")
    assert form.status_code == 200
    assert "Send me a link" in form.text


def test_a_known_address_gets_a_working_link(app, client, make_user):
    user_id = make_user("ada@example.org", name="Ada Lovelace")
    response = forgot(client, "Ada@Example.org ")
    assert response.status_code == 200
    assert "Check your inbox" in response.text
    [message] = messages(app, "password_reset")
    assert (message.user_id, message.to_address) == (user_id, "ada@example.org")
    assert message.status is MessageStatus.QUEUED
    assert message.subject == "Choose a new HireLadder password"
    assert "Hello Ada Lovelace," in message.text_body
    assert "http://localhost/login/forgot" in message.text_body
    token = RESET_LINK.search(message.text_body).group(1)
    assert f'href="http://localhost/reset/{token}"' in message.html_body
    # The token is in the message only: not on the page, not in the audit log.
    assert token not in response.text
    with app.app_context():
        assert all(token not in repr(e.summary) for e in db.session.scalars(select(AuditEvent)))
        issued = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "user.password_reset_issued")
        ).one()
        assert (issued.channel, issued.actor_id) == ("web", None)
    page = client.get(f"/reset/{token}")
    assert page.status_code == 200 and "ada@example.org" in page.text
    done = client.post(
        f"/reset/{token}",
        data={"new_password": "a brand new passphrase", "confirm": "a brand new passphrase"},
    )
    assert done.status_code == 302
    signed = client.post(
        "/login", data={"email": "ada@example.org", "password": "a brand new passphrase"}
    )
    assert signed.status_code == 302


def test_an_unknown_address_gets_the_same_answer_and_nothing_is_queued(app, client, make_user):
    make_user("ada@example.org")
    known = forgot(app.test_client(), "ada@example.org")
    unknown = forgot(client, "nobody@example.org")
    assert unknown.status_code == known.status_code == 200
    assert unknown.text == known.text.replace("ada@example.org", "nobody@example.org")
    assert len(messages(app, "password_reset")) == 1  # Ada's only
    assert reset_rows(app) == 1
    with app.app_context():
        asked = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "auth.password_reset_unknown")
        ).one()
        assert asked.object_id is None and asked.summary == {}


def test_a_deactivated_account_gets_nothing_and_the_same_answer(app, client, make_user):
    user_id = make_user("ada@example.org")
    with app.app_context():
        db.session.get(User, user_id).active = False
        db.session.commit()
    response = forgot(client, "ada@example.org")
    assert response.status_code == 200 and "Check your inbox" in response.text
    assert messages(app, "password_reset") == []
    assert reset_rows(app) == 0


def test_asking_again_at_once_keeps_the_first_link(app, make_user):
    user_id = make_user("ada@example.org")
    start = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    with app.app_context(), app.test_request_context():
        password_resets.request_by_email("ada@example.org", now=start)
        password_resets.request_by_email("ada@example.org", now=start + timedelta(minutes=1))
    [first] = messages(app, "password_reset")
    token = RESET_LINK.search(first.text_body).group(1)
    with app.app_context():
        # Still valid (the clock of `find` is the real one: the row expires 30 min later).
        row = db.session.scalars(select(PasswordReset)).one()
        assert row.user_id == user_id and row.used_at is None
        repeated = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "auth.password_reset_repeated")
        ).one()
        assert repeated.summary == {"reset_id": row.id}
    with app.app_context(), app.test_request_context():
        password_resets.request_by_email("ada@example.org", now=start + timedelta(minutes=3))
    assert len(messages(app, "password_reset")) == 2
    with app.app_context():
        first_row = db.session.scalars(select(PasswordReset).order_by(PasswordReset.id)).first()
        assert first_row.used_at is not None  # the newer link replaces the older
    assert token


def test_an_invalid_address_is_a_form_error(client):
    response = forgot(client, "not an address")
    assert response.status_code == 422
    assert 'class="field-error">Invalid email address.<' in response.text
    assert "Check your inbox" not in response.text


def test_the_form_needs_a_csrf_token(app, client, make_user, csrf_enabled):
    make_user("ada@example.org")
    response = forgot(client, "ada@example.org")
    assert response.status_code == 400
    assert messages(app, "password_reset") == []


@pytest.fixture
def limited(app) -> Iterator[None]:
    limiter = app.extensions["rate_limiter"]
    saved = app.config["RATE_LIMITS"]
    app.config["RATE_LIMITS"] = {
        "default": "100 per hour",
        "write": "100 per hour",
        "expensive": "1 per hour",
        "sign_in": "2 per hour",
    }
    app.config["RATE_LIMITS_ENABLED"] = True
    limiter.reset()
    try:
        yield
    finally:
        app.config["RATE_LIMITS_ENABLED"] = False
        app.config["RATE_LIMITS"] = saved
        limiter.reset()


def test_requests_are_rate_limited_per_address(app, client, make_user, limited):
    make_user("ada@example.org")
    here = {"REMOTE_ADDR": "203.0.113.9"}
    for _ in range(2):
        assert forgot(client, "nobody@example.org", environ_base=here).status_code == 200
    refused = forgot(client, "ada@example.org", environ_base=here)
    assert refused.status_code == 429
    assert messages(app, "password_reset") == []
    there = {"REMOTE_ADDR": "203.0.113.10"}
    assert forgot(client, "ada@example.org", environ_base=there).status_code == 200
    assert len(messages(app, "password_reset")) == 1


def test_the_reset_message_arrives_over_smtp(app, client, make_user, mail_to_smtp):
    make_user("ada@example.org")
    forgot(client, "ada@example.org")
    with app.app_context():
        assert worker.run_once(app, worker="w1").sent == 1
    [received] = mail_to_smtp.received
    assert received.recipients == ["ada@example.org"]
    assert received.subject == "Choose a new HireLadder password"
    assert RESET_LINK.search(received.text()) is not None


# --- a new device signed in ------------------------------------------------------


def sign_in_with(client, email: str, agent: str, address: str = "198.51.100.7"):
    return client.post(
        "/login",
        data={"email": email, "password": PASSWORD},
        headers={"User-Agent": agent},
        environ_base={"REMOTE_ADDR": address},
    )


@pytest.fixture
def at_noon(monkeypatch) -> datetime:
    moment = datetime(2026, 7, 1, 12, 0, tzinfo=UTC)
    monkeypatch.setattr(sign_in, "utcnow", lambda: moment)
    return moment


def test_the_first_sign_in_of_an_account_sends_nothing(app, client, make_user, at_noon):
    make_user("ada@example.org")
    assert sign_in_with(client, "ada@example.org", FIREFOX).status_code == 302
    assert messages(app, "new_device") == []


def test_a_browser_seen_recently_sends_nothing(app, make_user, at_noon):
    make_user("ada@example.org")
    sign_in_with(app.test_client(), "ada@example.org", FIREFOX)
    sign_in_with(app.test_client(), "ada@example.org", FIREFOX, address="192.0.2.1")
    assert messages(app, "new_device") == []


def test_a_new_browser_is_told_to_the_owner(app, make_user, at_noon):
    user_id = make_user("ada@example.org", name="Ada Lovelace")
    with app.app_context():
        db.session.get(User, user_id).timezone = "Europe/Berlin"
        db.session.commit()
    sign_in_with(app.test_client(), "ada@example.org", FIREFOX)
    assert sign_in_with(app.test_client(), "ada@example.org", IPHONE).status_code == 302
    [message] = messages(app, "new_device")
    assert (message.user_id, message.to_address) == (user_id, "ada@example.org")
    assert message.subject == "New sign-in to your HireLadder account: Safari on iPhone"
    text = message.text_body
    assert "Wed 1 Jul 2026, 14:00 CEST" in text  # noon UTC in Ada's zone
    assert "Safari on iPhone" in text
    assert "198.51.100.7" in text
    assert "http://localhost/account#sessions" in text
    assert "http://localhost/login/forgot" in text
    assert "If it was not you" in text
    with app.app_context():
        signs = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "auth.sign_in").order_by(AuditEvent.id)
        ).all()
        assert [e.summary["new_device"] for e in signs] == [False, True]


def test_a_browser_last_seen_long_ago_counts_as_new(app, make_user, at_noon):
    user_id = make_user("ada@example.org")
    with app.app_context():
        user = db.session.get(User, user_id)
        sessions.start(user, at_noon - timedelta(days=91), user_agent=FIREFOX)
        sessions.start(user, at_noon - timedelta(days=89), user_agent=IPHONE)
        db.session.commit()
    sign_in_with(app.test_client(), "ada@example.org", IPHONE)
    assert messages(app, "new_device") == []
    sign_in_with(app.test_client(), "ada@example.org", FIREFOX)
    [message] = messages(app, "new_device")
    assert "Firefox on Linux" in message.subject


def test_a_failed_sign_in_sends_nothing(app, make_user, at_noon):
    make_user("ada@example.org")
    sign_in_with(app.test_client(), "ada@example.org", FIREFOX)
    refused = app.test_client().post(
        "/login",
        data={"email": "ada@example.org", "password": "wrong password!"},
        headers={"User-Agent": IPHONE},
    )
    assert refused.status_code == 200
    assert messages(app, "new_device") == []


@pytest.fixture
def frozen(monkeypatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr(clock, "utcnow", lambda: fake.now)
    return fake


def test_a_two_step_sign_in_is_told_once_the_code_is_right(app, client, frozen, make_user):
    enrolled = enrol(app, client, frozen, make_user("ada@example.org"))
    first = client.post(
        "/login",
        data={"email": enrolled.email, "password": PASSWORD},
        headers={"User-Agent": IPHONE},
    )
    assert first.headers["Location"].endswith("/login/verify")
    assert messages(app, "new_device") == []  # the password alone signs nobody in
    done = client.post(
        "/login/verify", data={"code": enrolled.code(frozen.now)}, headers={"User-Agent": IPHONE}
    )
    assert done.status_code == 302
    [message] = messages(app, "new_device")
    assert "Safari on iPhone" in message.subject
