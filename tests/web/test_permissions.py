"""Every route x every role -> expected status; a route without an entry fails the suite."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from flask import Flask

from app.db import db
from app.models import User
from app.services import api_tokens
from tests.conftest import login_as

ROLES = ("anonymous", "admin", "recruiter", "hiring_manager", "interviewer", "team_member")
SIGNED_IN = ROLES[1:]


@dataclass(frozen=True)
class Fixture:
    """Ids of the objects the routes are exercised on.

    ``ids`` holds the hiring objects of the ``hiring_objects`` fixture (requisition_id,
    candidate_id, application_id, interview_id, ...), read as attributes.
    """

    users: dict[str, int]
    token_id: int
    ids: dict[str, int]
    #: For a URL builder that needs an object the fixtures do not make (it makes it).
    app: Flask | None = None

    def __getattr__(self, name: str) -> int:
        try:
            return self.ids[name]
        except KeyError:
            raise AttributeError(name) from None


UrlFor = Callable[[Fixture], str]


def expect(anonymous: int, **by_role: int) -> dict[str, int]:
    """``default`` applies to every signed-in role not named."""
    default = by_role.pop("default", None)
    result = {"anonymous": anonymous}
    for role in SIGNED_IN:
        status = by_role.get(role, default)
        assert status is not None, f"no expectation for {role}"
        result[role] = status
    return result


ADMIN_ONLY = {"admin": 200, "default": 403}

# (method, endpoint) -> (url builder, expected status per role). Each area of the app
# adds its routes in a module of its own, tests/web/matrix_<area>.py, defining MATRIX.
MATRIX: dict[tuple[str, str], tuple[UrlFor, dict[str, int]]] = {
    ("GET", "main.index"): (lambda f: "/", expect(302, default=200)),
    ("GET", "main.health"): (lambda f: "/health", expect(200, default=200)),
    ("GET", "auth.login"): (lambda f: "/login", expect(200, default=302)),
    ("POST", "auth.login"): (lambda f: "/login", expect(200, default=302)),
    ("POST", "auth.logout"): (lambda f: "/logout", expect(302, default=302)),
    ("GET", "auth.account"): (lambda f: "/account", expect(302, default=200)),
    ("POST", "auth.change_password"): (lambda f: "/account/password", expect(302, default=200)),
    ("POST", "auth.sign_out_everywhere"): (
        lambda f: "/account/sign-out-everywhere",
        expect(302, default=302),
    ),
    ("GET", "auth.new_password"): (lambda f: "/account/new-password", expect(302, default=302)),
    ("POST", "auth.new_password"): (lambda f: "/account/new-password", expect(302, default=302)),
    # A session id of nobody's: the owner check is in tests/web/test_sessions.py.
    ("POST", "auth.end_session"): (
        lambda f: "/account/sessions/999999/end",
        expect(302, default=404),
    ),
    # Public by design: the single-use token in the URL is the credential.
    ("GET", "auth.reset_password"): (lambda f: "/reset/not-a-token", expect(404, default=404)),
    ("POST", "auth.reset_password"): (lambda f: "/reset/not-a-token", expect(404, default=404)),
    ("GET", "admin.users"): (lambda f: "/admin/users", expect(302, **ADMIN_ONLY)),
    ("GET", "admin.user_new"): (lambda f: "/admin/users/new", expect(302, **ADMIN_ONLY)),
    ("POST", "admin.user_new"): (lambda f: "/admin/users/new", expect(302, **ADMIN_ONLY)),
    ("GET", "admin.user_detail"): (
        lambda f: f"/admin/users/{f.users['team_member']}",
        expect(302, **ADMIN_ONLY),
    ),
    ("POST", "admin.user_update"): (
        lambda f: f"/admin/users/{f.users['team_member']}",
        expect(302, **ADMIN_ONLY),
    ),
    ("POST", "admin.user_placement"): (
        lambda f: f"/admin/users/{f.users['team_member']}/placement",
        expect(302, admin=422, default=403),
    ),
    ("POST", "admin.user_set_active"): (
        lambda f: f"/admin/users/{f.users['team_member']}/active",
        expect(302, admin=302, default=403),
    ),
    ("POST", "admin.user_end_sessions"): (
        lambda f: f"/admin/users/{f.users['team_member']}/sessions/end",
        expect(302, admin=302, default=403),
    ),
    ("POST", "admin.token_revoke"): (
        lambda f: f"/admin/users/{f.users['team_member']}/tokens/{f.token_id}/revoke",
        expect(302, admin=302, default=403),
    ),
    ("GET", "admin.audit"): (lambda f: "/admin/audit", expect(302, **ADMIN_ONLY)),
    ("GET", "api.me"): (lambda f: "/api/v1/me", expect(401, default=200)),
    ("GET", "static"): (lambda f: "/static/app.css", expect(200, default=200)),
}


def _add_area_matrices() -> None:
    import importlib
    import pkgutil

    import tests.web

    for module in pkgutil.iter_modules(tests.web.__path__):
        if module.name.startswith("matrix_"):
            area = importlib.import_module(f"tests.web.{module.name}")
            overlap = set(area.MATRIX) & set(MATRIX)
            assert not overlap, f"{module.name} repeats {overlap}"
            MATRIX.update(area.MATRIX)


_add_area_matrices()


def routes(app: Flask) -> set[tuple[str, str]]:
    found = set()
    for rule in app.url_map.iter_rules():
        for method in rule.methods or ():
            if method not in ("HEAD", "OPTIONS"):
                found.add((method, rule.endpoint))
    return found


def test_every_route_has_a_matrix_entry(app):
    missing = routes(app) - set(MATRIX)
    assert not missing, f"add these routes to the permissions matrix: {sorted(missing)}"
    stale = set(MATRIX) - routes(app)
    assert not stale, f"matrix entries for routes that no longer exist: {sorted(stale)}"


@pytest.fixture
def objects(app, users, hiring_objects, promotion_objects) -> Fixture:
    with app.app_context():
        member = db.session.get(User, users["team_member"])
        token, _raw = api_tokens.issue(member, actor=None)
        return Fixture(
            users=users,
            token_id=token.id,
            ids={**hiring_objects, **promotion_objects},
            app=app,
        )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "endpoint"), sorted(MATRIX))
def test_permissions(app, client, objects, role, method, endpoint):
    url_for, expected = MATRIX[(method, endpoint)]
    if role != "anonymous":
        login_as(app, client, objects.users[role])
    response = client.open(url_for(objects), method=method)
    response.close()
    assert response.status_code == expected[role], (
        f"{role} {method} {url_for(objects)}: got {response.status_code}, expected {expected[role]}"
    )
    if expected[role] == 302 and role == "anonymous" and endpoint != "auth.login":
        assert "/login" in response.headers["Location"]


@pytest.mark.parametrize(
    "url",
    [
        "/hiring/requisitions/{requisition_id}",
        "/hiring/applications/{application_id}",
        "/hiring/candidates/{candidate_id}/cv",
    ],
)
def test_another_requisitions_hiring_manager_gets_404(app, client, make_user, hiring_objects, url):
    from app.models import Role

    other = make_user("other.manager@example.org", (Role.HIRING_MANAGER,))
    login_as(app, client, other)
    response = client.get(url.format(**hiring_objects))
    response.close()
    assert response.status_code == 404


def test_object_routes_answer_404_for_missing_objects(app, client, users):
    login_as(app, client, users["admin"])
    assert client.get("/admin/users/999999").status_code == 404
    member = users["team_member"]
    assert client.post(f"/admin/users/{member}/tokens/999999/revoke").status_code == 404


def test_token_of_another_user_is_404(app, client, users):
    with app.app_context():
        other = db.session.get(User, users["recruiter"])
        token, _ = api_tokens.issue(other, actor=None)
        token_id = token.id
    login_as(app, client, users["admin"])
    # The token exists, but not under this user: the URL must not reach it.
    response = client.post(f"/admin/users/{users['team_member']}/tokens/{token_id}/revoke")
    assert response.status_code == 404
