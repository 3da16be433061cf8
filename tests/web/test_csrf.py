"""Every state-changing route refuses a request without a CSRF token."""

from __future__ import annotations

import re

import pytest

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
