"""Rate limits: 429 with Retry-After, per token, per user and per address; tighter on PDF
renders and sign-in; counts shared through Redis between processes.

The test configuration switches rate limits off (RATE_LIMITS_ENABLED False) so that no
other test depends on how many requests it makes; the fixture here switches them on with
small numbers, on an empty count.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from app import create_app
from app.config import ConfigError
from app.db import db
from app.models import User
from app.rate_limits import rate_limit
from app.services import api_tokens
from tests.conftest import login_as

API = "/api/v1"
REDIS_URL = "redis://127.0.0.1:6379/15"
SMALL = {
    "default": "3 per hour",
    "write": "2 per hour",
    "expensive": "1 per hour",
    "sign_in": "2 per hour",
    "apply": "2 per hour",
}


@pytest.fixture
def limited(app: Flask) -> Iterator[dict[str, str]]:
    """Rate limits on, with SMALL numbers (tests may lower them further), counts reset."""
    limiter = app.extensions["rate_limiter"]
    saved = app.config["RATE_LIMITS"]
    app.config["RATE_LIMITS"] = dict(SMALL)
    app.config["RATE_LIMITS_ENABLED"] = True
    limiter.reset()
    try:
        yield app.config["RATE_LIMITS"]
    finally:
        app.config["RATE_LIMITS_ENABLED"] = False
        app.config["RATE_LIMITS"] = saved
        limiter.reset()


def bearer(app: Flask, user_id: int, **kwargs) -> dict[str, str]:
    with app.app_context():
        _row, raw = api_tokens.issue(db.session.get(User, user_id), actor=None, **kwargs)
    return {"Authorization": f"Bearer {raw}"}


def assert_429(response, what: str) -> int:
    assert response.status_code == 429
    seconds = int(response.headers["Retry-After"])
    assert 1 <= seconds <= 3600
    error = response.json["error"]
    assert error["status"] == 429 and error["title"] == "Too many requests"
    assert what in error["detail"] and "try again in " in error["detail"]
    return seconds


def test_the_api_answers_429_with_retry_after_and_a_problem_body_after_n_requests(
    app, client, users, limited
):
    headers = bearer(app, users["recruiter"])
    for _ in range(3):
        assert client.get(f"{API}/me", headers=headers).status_code == 200
    assert_429(client.get(f"{API}/me", headers=headers), "At most 3 requests per 1 hour")


def test_counts_are_per_token(app, client, users, limited):
    first, second = bearer(app, users["recruiter"]), bearer(app, users["recruiter"])
    for _ in range(3):
        client.get(f"{API}/me", headers=first)
    assert client.get(f"{API}/me", headers=first).status_code == 429
    assert client.get(f"{API}/me", headers=second).status_code == 200


def test_session_api_calls_count_per_user_and_anonymous_ones_per_address(
    app, client, users, limited
):
    login_as(app, client, users["recruiter"])
    for address in ("192.0.2.1", "192.0.2.2", "192.0.2.3"):
        # Per user: a new address does not give a signed-in user new requests.
        response = client.get(f"{API}/me", environ_base={"REMOTE_ADDR": address})
        assert response.status_code == 200
    assert client.get(f"{API}/me", environ_base={"REMOTE_ADDR": "192.0.2.4"}).status_code == 429

    anonymous = app.test_client()
    for _ in range(3):
        anonymous.get(f"{API}/openapi.json", environ_base={"REMOTE_ADDR": "198.51.100.1"})
    blocked = anonymous.get(f"{API}/openapi.json", environ_base={"REMOTE_ADDR": "198.51.100.1"})
    assert blocked.status_code == 429
    other = anonymous.get(f"{API}/openapi.json", environ_base={"REMOTE_ADDR": "198.51.100.2"})
    assert other.status_code == 200


def test_writes_have_a_tighter_limit(app, client, users, limited):
    limited["default"] = "100 per hour"
    headers = bearer(app, users["recruiter"])
    for i in range(2):
        body = {"name": f"C{i}", "email": f"c{i}@example.org", "consent_on": "2030-02-01"}
        assert client.post(f"{API}/candidates", headers=headers, json=body).status_code == 201
    body = {"name": "C", "email": "c@example.org", "consent_on": "2030-02-01"}
    assert_429(client.post(f"{API}/candidates", headers=headers, json=body), "changes")
    # Reads are counted by the default limit only.
    assert client.get(f"{API}/me", headers=headers).status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/ladder/levels/no-such-level/description.pdf",
        "/promotions/999999/document.pdf",
        "/candidates/999999/export",
    ],
)
def test_pdf_renders_have_the_expensive_limit(app, client, users, limited, path):
    limited["default"] = "100 per hour"
    headers = bearer(app, users["admin"])
    assert client.get(f"{API}{path}", headers=headers).status_code == 404  # counted
    assert_429(client.get(f"{API}{path}", headers=headers), "PDF renders and exports per 1 hour")
    # The expensive limit is shared by every PDF, and leaves other endpoints alone.
    other = (
        "/promotions/999999/document.pdf"
        if "ladder" in path
        else "/ladder/levels/x/description.pdf"
    )
    assert client.get(f"{API}{other}", headers=headers).status_code == 429
    assert client.get(f"{API}/me", headers=headers).status_code == 200


def test_candidate_exports_and_uploads_have_the_expensive_limit(app, client, auth, users, limited):
    limited.update(default="100 per hour", write="100 per hour", expensive="1 per hour")
    auth.login(users["recruiter"])
    assert client.get("/hiring/candidates/999999/export").status_code == 404  # counted
    assert client.get("/hiring/candidates/999999/export").status_code == 429
    # The upload form shows freely; posting it (a CV to scan) shares the limit.
    assert client.get("/hiring/requisitions/999999/candidates/new").status_code == 404
    assert client.post("/hiring/requisitions/999999/candidates/new").status_code == 429


def test_sign_in_posts_are_limited_per_address_with_the_friendly_page(client, users, limited):
    limited.update(default="100 per hour", write="100 per hour")
    form = {"email": "admin@example.org", "password": "wrong password!"}
    here = {"REMOTE_ADDR": "203.0.113.9"}
    for _ in range(2):
        assert client.post("/login", data=form, environ_base=here).status_code == 200
    response = client.post("/login", data=form, environ_base=here)
    assert response.status_code == 429
    assert response.mimetype == "text/html"
    assert int(response.headers["Retry-After"]) >= 1
    page = response.get_data(as_text=True)
    assert "Too many requests" in page and "sign-in attempts from this address" in page
    # The form itself still shows, and another address may still sign in.
    assert client.get("/login", environ_base=here).status_code == 200
    there = {"REMOTE_ADDR": "203.0.113.10"}
    assert client.post("/login", data=form, environ_base=there).status_code == 200


def test_limits_are_off_in_the_test_configuration(app, client, users):
    assert app.config["RATE_LIMITS_ENABLED"] is False
    headers = bearer(app, users["recruiter"])
    for _ in range(5):
        assert client.get(f"{API}/me", headers=headers).status_code == 200


def test_the_wait_is_said_in_seconds_or_minutes():
    from app.rate_limits import _wait

    assert (_wait(1), _wait(42), _wait(119)) == ("1 second", "42 seconds", "119 seconds")
    assert (_wait(120), _wait(3600), _wait(3601)) == ("2 minutes", "60 minutes", "61 minutes")


def test_only_named_limits_can_be_applied():
    with pytest.raises(ValueError, match="one of: expensive, sign_in"):
        rate_limit("cheap")


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"RATE_LIMITS": {**SMALL, "expensive": "ten a minute"}}, r"RATE_LIMITS\['expensive'\]"),
        ({"RATE_LIMITS": {"default": "1/second"}}, "no value for"),
        ({"RATELIMIT_STORAGE_URI": "memcached://x"}, "use memory:// or redis://"),
    ],
)
def test_settings_that_cannot_work_stop_the_start(tmp_path, settings, message):
    with pytest.raises(ConfigError, match=message):
        limited_app(tmp_path, **settings)


# --- several processes ---------------------------------------------------------------


def limited_app(tmp_path: Path, **settings) -> Flask:
    return create_app(
        {
            "HIRELADDER_ENV": "testing",
            "SECRET_KEY": "x",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'unused.db'}",
            "RATE_LIMITS_ENABLED": True,
            "RATE_LIMITS": {**SMALL, "default": "3 per hour"},
            **settings,
        }
    )


def redis_or_skip() -> None:
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError as exc:
        pytest.skip(f"no Redis at {REDIS_URL} ({exc}); shared counts need one")


def openapi_statuses(first: Flask, second: Flask) -> list[int]:
    """Two requests to each app, alternating, from one address."""
    here = {"REMOTE_ADDR": "192.0.2.77"}
    clients = [first.test_client(), second.test_client()] * 2
    return [c.get(f"{API}/openapi.json", environ_base=here).status_code for c in clients]


def test_two_processes_share_counts_through_redis(tmp_path):
    import redis

    redis_or_skip()
    # A key prefix of its own: parallel test runs on one Redis never see each other's counts.
    prefix = f"hireladder-test-{uuid.uuid4().hex}"
    settings = {"RATELIMIT_STORAGE_URI": REDIS_URL, "RATELIMIT_KEY_PREFIX": prefix}
    first, second = limited_app(tmp_path, **settings), limited_app(tmp_path, **settings)
    try:
        assert openapi_statuses(first, second) == [200, 200, 200, 429]
    finally:
        first.extensions["rate_limiter"].reset()  # clears only this prefix's keys
    assert not redis.Redis.from_url(REDIS_URL).keys(f"{prefix}*")


def test_in_memory_counts_are_per_process(tmp_path):
    first, second = limited_app(tmp_path), limited_app(tmp_path)
    assert openapi_statuses(first, second) == [200, 200, 200, 200]


def test_in_memory_counts_start_no_thread_per_hit(app, client, users, limited, monkeypatch):
    """limits' own memory storage starts a timer thread on a hit whenever its last one has
    run; the storage HireLadder uses sweeps expired counts on a hit instead."""
    import limits.storage.memory

    from app.rate_limits import SweptMemoryStorage

    storage = app.extensions["rate_limiter"]._storage
    assert isinstance(storage, SweptMemoryStorage)
    started: list[object] = []

    class CountedTimer(limits.storage.memory.threading.Timer):
        def start(self) -> None:
            started.append(self)
            super().start()

    monkeypatch.setattr(limits.storage.memory.threading, "Timer", CountedTimer)
    limited["default"] = "1000 per hour"
    headers = bearer(app, users["recruiter"])
    for _ in range(30):
        assert client.get(f"{API}/me", headers=headers).status_code == 200
    assert started == []
    assert sum(storage.storage.values()) >= 30  # counted all the same


def test_expired_counts_are_swept_by_a_later_hit(monkeypatch):
    from app.rate_limits import SweptMemoryStorage

    storage = SweptMemoryStorage("hireladder+memory://")
    storage.timer.join()  # limits' constructor runs one sweep in a thread; let it be done
    clock = [1000.0]
    monkeypatch.setattr("app.rate_limits.time.monotonic", lambda: clock[0])
    storage.incr("short", expiry=60)
    storage.incr("unread", expiry=60)
    storage.incr("long", expiry=3600)
    assert set(storage.storage) == {"short", "unread", "long"}
    for key in ("short", "unread"):  # both windows are over
        storage.expirations[key] = time.time() - 1
    storage.incr("long", expiry=3600)
    assert set(storage.storage) == {"short", "unread", "long"}  # at most once a second
    assert storage.get("short") == 0  # yet a count is read as expired already
    clock[0] += SweptMemoryStorage.SWEEP_EVERY
    storage.incr("long", expiry=3600)
    assert set(storage.storage) == {"long"} and storage.storage["long"] == 3
