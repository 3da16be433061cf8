"""Every state-changing route refuses a request without a CSRF token."""

from __future__ import annotations

import re

import pytest
from itsdangerous import URLSafeTimedSerializer

from tests.conftest import login_as
from tests.web.test_permissions import MATRIX, Fixture

UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
STATE_CHANGING = sorted(key for key in MATRIX if key[0] in UNSAFE)


def test_state_changing_routes_are_all_listed(app):
    unsafe_routes = {
        (method, rule.endpoint)
        for rule in app.url_map.iter_rules()
        for method in rule.methods or ()
        if method in UNSAFE
    }
    assert unsafe_routes == set(STATE_CHANGING)


@pytest.mark.parametrize(("method", "endpoint"), STATE_CHANGING)
def test_request_without_csrf_token_is_refused(
    app, client, users, hiring_objects, promotion_objects, csrf_enabled, method, endpoint
):
    login_as(app, client, users["admin"])
    ids = {**hiring_objects, **promotion_objects}
    url = MATRIX[(method, endpoint)][0](Fixture(users=users, token_id=1, ids=ids, app=app))
    response = client.open(url, method=method, data={})
    assert response.status_code == 400
    assert b"security token is missing" in response.data


def test_request_with_a_valid_token_passes(app, client, users, csrf_enabled):
    login_as(app, client, users["admin"])
    page = client.get("/account")
    token = re.search(rb'name="csrf_token" type="hidden" value="([^"]+)"', page.data)
    assert token is not None
    response = client.post(
        "/account/sign-out-everywhere", data={"csrf_token": token.group(1).decode()}
    )
    assert response.status_code == 302
    assert client.get("/account").status_code == 302  # signed out everywhere


def _page_tokens(body: bytes) -> set[str]:
    """The form tokens a page carries (the header's sign-out form, the page's forms)."""
    return {m.decode() for m in re.findall(rb'name="csrf_token"[^>]*value="([^"]+)"', body)}


def test_a_signed_token_is_reused_for_its_own_session_and_still_passes(
    app, client, users, csrf_enabled, make_user
):
    login_as(app, client, users["admin"])
    first = _page_tokens(client.get("/account").data)
    again = _page_tokens(client.get("/hiring/requisitions").data)
    assert len(first) == 1 and first == again  # one token per page, the same a page later

    other = app.test_client()
    login_as(app, other, users["recruiter"])
    theirs = _page_tokens(other.get("/hiring/requisitions").data)
    assert len(theirs) == 1 and theirs != first  # another session, another token

    # The reused token passes, and it is the one of this session only.
    refused = other.post("/account/sign-out-everywhere", data={"csrf_token": first.pop()})
    assert refused.status_code == 400
    passed = client.post("/account/sign-out-everywhere", data={"csrf_token": again.pop()})
    assert passed.status_code == 302


def test_a_signed_token_is_signed_afresh_after_a_minute(
    app, client, users, csrf_enabled, monkeypatch
):
    from app import templating

    signed = []

    real = URLSafeTimedSerializer.dumps

    def counting(self, obj, salt=None):
        signed.append(1)
        return real(self, obj, salt)

    monkeypatch.setattr("flask_wtf.csrf.URLSafeTimedSerializer.dumps", counting)
    login_as(app, client, users["admin"])
    client.get("/account")  # the session's own token is made here
    client.get("/account")
    made = len(signed)
    client.get("/account")
    assert len(signed) == made  # reused
    later = templating._now() + templating._SIGNED_FOR + 1
    monkeypatch.setattr(templating, "_now", lambda: later)
    client.get("/account")
    assert len(signed) == made + 1


def test_the_header_links_follow_the_mount_point(app, client, users):
    """Links made once per process are made per mount point (SCRIPT_NAME) too."""
    login_as(app, client, users["admin"])
    plain = client.get("/account").data.decode()
    mounted = client.get("/account", base_url="http://hireladder.test/hr").data.decode()
    assert 'href="/static/app.css"' in plain and 'href="/hr/static/app.css"' in mounted
    assert 'href="/hr/hiring/requisitions"' in mounted
