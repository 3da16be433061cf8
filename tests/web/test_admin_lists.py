"""The admin's lists of users and of the audit log, on the web pages and in the API: pages
by cursor (every row exactly once, forwards and back), every filter carried from page to
page, the same number of queries however many rows there are, refusals of damaged
positions and bad filters, admins only."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.dialects import sqlite

from app.accounts import queries
from app.accounts.api import AUDIT_PARAMETERS, USER_PARAMETERS
from app.db import db
from app.models import AuditEvent, Role, User
from app.paging import beyond
from app.services import audit
from tests.conftest import login_as
from tests.web.test_api_hiring import API, bearer

START = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
PAGE = 5


@pytest.fixture
def small_pages(app) -> Iterator[None]:
    before = app.config["ADMIN_PAGE_SIZE"]
    app.config["ADMIN_PAGE_SIZE"] = PAGE
    try:
        yield
    finally:
        app.config["ADMIN_PAGE_SIZE"] = before


@pytest.fixture
def admin_client(app, client, users):
    login_as(app, client, users["admin"])
    return client


@pytest.fixture
def admin_api(app, users) -> dict[str, str]:
    return bearer(app, users["admin"])


def add_events(
    app, tag: str, n: int, *, start: datetime = START, actors: list[int] | None = None, **columns
) -> None:
    """``n`` rows named ``<tag><i>`` (their summary's ``n``), three to a moment, so that
    rows share a moment and the id decides their order; by ``actors`` in turn if given."""
    with app.app_context():
        for i in range(n):
            db.session.add(
                AuditEvent(
                    occurred_at=start + timedelta(seconds=i // 3),
                    channel="system",
                    action=columns.get("action", "test.bulk"),
                    actor_id=actors[i % len(actors)] if actors else columns.get("actor_id"),
                    address=columns.get("address"),
                    object_type=columns.get("object_type", "thing"),
                    object_id=columns.get("object_id", str(i)),
                    summary={"n": f"{tag}{i}"},
                )
            )
        db.session.commit()


def add_users(make_user, prefix: str, n: int, roles=(Role.RECRUITER,)) -> None:
    for i in range(n):
        make_user(f"{prefix}{i:03d}@example.org", roles)


# --- reading the web pages -----------------------------------------------------------

ROW_NAME = re.compile(r'<strong>n</strong>: "(\w+)"')
USER_EMAIL = re.compile(r"<td>([\w.]+@example\.org)</td>")


def link(page: str, rel: str) -> str | None:
    found = re.search(rf'<a href="([^"]+)" rel="{rel}">', page)
    return html.unescape(found[1]) if found else None


def walk(client, url: str, rows: re.Pattern[str]) -> tuple[list[str], list[str]]:
    """Every row found following rel=next from ``url``, then following rel=prev back
    from the last page; and the pages' addresses."""
    forward, urls = [], []
    current: str | None = url
    text = ""
    while current is not None:
        response = client.get(current)
        assert response.status_code == 200, (current, response.text[:300])
        text = response.get_data(as_text=True)
        urls.append(current)
        forward += rows.findall(text)
        current = link(text, "next")
        assert len(urls) < 100
    backward = rows.findall(text)
    current = link(text, "prev")
    while current is not None:
        text = client.get(current).get_data(as_text=True)
        backward = rows.findall(text) + backward
        current = link(text, "prev")
        assert len(urls) < 100
    assert backward == forward
    return forward, urls


# --- the audit page --------------------------------------------------------------------


def test_the_audit_page_reaches_every_row_once_forwards_and_back(app, admin_client, small_pages):
    add_events(app, "r", 23)
    found, urls = walk(admin_client, "/admin/audit?action=test.", ROW_NAME)
    assert found == [f"r{i}" for i in reversed(range(23))]
    assert len(urls) == 5
    assert all("action=test." in url for url in urls[1:])
    everything, _ = walk(admin_client, "/admin/audit", re.compile(r"<tr>\s*<td><time"))
    with app.app_context():
        assert len(everything) == db.session.scalar(select(func.count(AuditEvent.id)))


def filtered(app, users):
    """(filter's query, the columns of rows it finds, of rows it leaves out)."""
    actor = users["recruiter"]
    return {
        "kind=denied": ({"action": audit.ACCESS_DENIED}, {}),
        "kind=reads": ({"action": audit.CANDIDATE_VIEW}, {"action": "candidate.viewed"}),
        "kind=security": ({"action": "auth.login"}, {"action": "xauth.login"}),
        "action=test.ke": ({"action": "test.keep"}, {"action": "test.other"}),
        f"actor={actor}": ({"actor_id": actor}, {"actor_id": users["team_member"]}),
        "address=10.0.0.7": ({"address": "10.0.0.7"}, {"address": "10.0.0.70"}),
        "object_type=offer&object_id=7": (
            {"object_type": "offer", "object_id": "7"},
            {"object_type": "offer", "object_id": "8"},
        ),
        "since=2026-11-03&until=2026-11-04": (
            {"start": START + timedelta(days=1)},
            {"start": START + timedelta(days=3)},
        ),
    }


FILTERS = [
    "kind=denied",
    "kind=reads",
    "kind=security",
    "action=test.ke",
    "actor=",
    "address=10.0.0.7",
    "object_type=offer&object_id=7",
    "since=2026-11-03&until=2026-11-04",
]


def _case(app, users, name: str) -> tuple[str, dict, dict]:
    for query, (keep, leave) in filtered(app, users).items():
        if query.startswith(name):
            return query, keep, leave
    raise AssertionError(name)


@pytest.mark.parametrize("name", FILTERS)
def test_each_audit_filter_is_kept_from_page_to_page(app, admin_client, users, small_pages, name):
    query, keep, leave = _case(app, users, name)
    add_events(app, "keep", 12, **keep)
    add_events(app, "leave", 12, **leave)
    found, urls = walk(admin_client, f"/admin/audit?{query}", ROW_NAME)
    assert sorted(found) == sorted(f"keep{i}" for i in range(12))
    assert len(urls) == 3
    for url in urls[1:]:
        for part in query.split("&"):
            assert part in url


def test_audit_page_queries_do_not_grow_with_the_log(
    app, admin_client, users, small_pages, count_queries
):
    # Every page's rows have actors, loaded in one query by id (none when no row has one).
    actors = list(users.values())
    add_events(app, "s", 5, actors=actors)
    with count_queries() as small:
        assert admin_client.get("/admin/audit").status_code == 200
    add_events(app, "l", 60, start=START + timedelta(days=1), actors=actors)
    with count_queries() as first:
        text = admin_client.get("/admin/audit").get_data(as_text=True)
    deep = link(text, "next")
    for _ in range(5):
        deep = link(admin_client.get(deep).get_data(as_text=True), "next")
    with count_queries() as far:
        text = admin_client.get(deep).get_data(as_text=True)
    assert ROW_NAME.findall(text) and "/admin/audit?actor=" in text
    with count_queries() as back:
        assert admin_client.get(link(text, "prev")).status_code == 200
    assert first.count == small.count, first.statements
    assert far.count == small.count, far.statements
    assert back.count == small.count, back.statements
    assert not any("count(" in s.lower() for s in far.statements)


@pytest.mark.parametrize(
    "query",
    [
        "after=yesterday",
        "before=20261301000000000000-1",
        "after=20261201120000000000-99999999999",
        "after=20261201120000000000-1&before=20261201120000000000-2",
    ],
)
def test_a_damaged_audit_position_answers_400_saying_so(app, admin_client, query):
    response = admin_client.get(f"/admin/audit?{query}")
    assert response.status_code == 400
    assert "?after=" in response.text or "?before=" in response.text


# --- the users page --------------------------------------------------------------------


def test_the_users_page_reaches_every_user_once_by_email(app, admin_client, make_user, small_pages):
    add_users(make_user, "bulk", 12)
    add_users(make_user, "other", 4, roles=(Role.INTERVIEWER,))
    found, urls = walk(admin_client, "/admin/users?role=recruiter&q=bulk", USER_EMAIL)
    assert found == [f"bulk{i:03d}@example.org" for i in range(12)]
    assert len(urls) == 3
    assert all("role=recruiter" in u and "q=bulk" in u for u in urls[1:])
    # The address names users by id, never by their e-mail address.
    assert all("example.org" not in u for u in urls)
    everyone, _ = walk(admin_client, "/admin/users", USER_EMAIL)
    with app.app_context():
        assert everyone == list(db.session.scalars(select(User.email).order_by(User.email)))
    text = admin_client.get(urls[1]).get_data(as_text=True)
    assert 'rel="next">Next' in text and 'rel="prev">&larr; Previous' in text


def test_the_users_page_filters_the_deactivated(app, admin_client, make_user, small_pages):
    add_users(make_user, "bulk", 7)
    with app.app_context():
        for user in db.session.scalars(select(User).where(User.email.like("bulk00%"))):
            user.active = False
        db.session.commit()
    found, _ = walk(admin_client, "/admin/users?status=inactive", USER_EMAIL)
    assert found == [f"bulk{i:03d}@example.org" for i in range(7)]
    active, _ = walk(admin_client, "/admin/users?status=active&q=bulk", USER_EMAIL)
    assert active == []
    empty = admin_client.get("/admin/users?q=nothing-like-this")
    assert b"No users match these filters." in empty.data


def test_users_page_queries_do_not_grow(app, admin_client, make_user, small_pages, count_queries):
    add_users(make_user, "s", 2)
    with count_queries() as small:
        assert admin_client.get("/admin/users").status_code == 200
    add_users(make_user, "l", 55)
    with count_queries() as first:
        text = admin_client.get("/admin/users").get_data(as_text=True)
    deep = link(text, "next")
    for _ in range(4):
        deep = link(admin_client.get(deep).get_data(as_text=True), "next")
    with count_queries() as far:
        text = admin_client.get(deep).get_data(as_text=True)
    with count_queries() as back:
        assert admin_client.get(link(text, "prev")).status_code == 200
    assert first.count == small.count, first.statements
    assert far.count == small.count, far.statements
    assert back.count == small.count, back.statements


@pytest.mark.parametrize(
    "query", ["after=bob", "before=-1", "after=99999999999", "after=1&before=2", "after=²"]
)
def test_a_damaged_users_position_answers_400(app, admin_client, query):
    response = admin_client.get(f"/admin/users?{query}")
    assert response.status_code == 400
    assert "list position" in response.text or "not both" in response.text


@pytest.mark.parametrize("path", ["/admin/users", "/admin/audit"])
@pytest.mark.parametrize("role", ["recruiter", "team_member"])
def test_the_admin_lists_refuse_others(app, client, users, path, role):
    login_as(app, client, users[role])
    assert client.get(path).status_code == 403


# --- the API ---------------------------------------------------------------------------


def api_walk(client, headers, url: str, name) -> tuple[list, list[str]]:
    found, urls = [], []
    current: str | None = url
    while current is not None:
        response = client.get(current, headers=headers)
        assert response.status_code == 200, response.json
        urls.append(current)
        found += [name(item) for item in response.json["items"]]
        current = response.json["next"]
        assert len(urls) < 100
    return found, urls


def test_the_audit_api_pages_every_row_once_with_its_filters(app, client, admin_api):
    add_events(app, "keep", 23, action="test.keep")
    add_events(app, "leave", 7, action="test.other")
    found, urls = api_walk(
        client,
        admin_api,
        f"{API}/audit?action=test.ke&per_page=5",
        lambda item: item["summary"]["n"],
    )
    assert found == [f"keep{i}" for i in reversed(range(23))]
    assert len(urls) == 5
    for url in urls[1:]:
        assert url.startswith("/api/v1/audit?")
        assert "action=test.ke" in url and "per_page=5" in url
    first = client.get(f"{API}/audit?action=test.ke&per_page=1", headers=admin_api).json
    assert first["per_page"] == 1
    assert set(first["items"][0]) == {
        "id",
        "occurred_at",
        "actor",
        "channel",
        "action",
        "object_type",
        "object_id",
        "address",
        "user_agent",
        "summary",
    }


@pytest.mark.parametrize("name", FILTERS)
def test_each_audit_api_filter_is_kept_in_next(app, client, users, admin_api, name):
    query, keep, leave = _case(app, users, name)
    add_events(app, "keep", 12, **keep)
    add_events(app, "leave", 12, **leave)
    found, urls = api_walk(
        client, admin_api, f"{API}/audit?{query}&per_page=5", lambda i: i["summary"]["n"]
    )
    assert sorted(found) == sorted(f"keep{i}" for i in range(12))
    assert len(urls) == 3


def test_the_users_api_pages_by_email_with_its_filters(app, client, make_user, admin_api):
    add_users(make_user, "bulk", 12)
    add_users(make_user, "other", 3, roles=(Role.INTERVIEWER,))
    found, urls = api_walk(
        client, admin_api, f"{API}/users?role=recruiter&q=bulk&per_page=5", lambda u: u["email"]
    )
    assert found == [f"bulk{i:03d}@example.org" for i in range(12)]
    assert len(urls) == 3
    assert all("role=recruiter" in u and "q=bulk" in u for u in urls[1:])
    everyone, _ = api_walk(client, admin_api, f"{API}/users?per_page=4", lambda u: u["email"])
    with app.app_context():
        assert everyone == list(db.session.scalars(select(User.email).order_by(User.email)))
    item = client.get(f"{API}/users?q=bulk000", headers=admin_api).json["items"][0]
    assert item["roles"] == ["recruiter"] and item["active"] is True


def test_api_list_queries_do_not_grow(app, client, users, make_user, admin_api, count_queries):
    actors = list(users.values())
    add_events(app, "s", 5, actors=actors)
    add_users(make_user, "s", 2)
    # The token's first use is recorded once (not on every call): not part of the list.
    client.get(f"{API}/me", headers=admin_api)
    with count_queries() as audit_small:
        assert client.get(f"{API}/audit?per_page=5", headers=admin_api).status_code == 200
    with count_queries() as users_small:
        assert client.get(f"{API}/users?per_page=5", headers=admin_api).status_code == 200
    add_events(app, "l", 60, start=START + timedelta(days=1), actors=actors)
    add_users(make_user, "l", 40)
    for path, small in (("audit", audit_small), ("users", users_small)):
        url = f"{API}/{path}?per_page=5"
        for _ in range(4):
            url = client.get(url, headers=admin_api).json["next"]
        with count_queries() as far:
            assert client.get(url, headers=admin_api).status_code == 200
        assert far.count == small.count, (path, far.statements)


@pytest.mark.parametrize(
    ("path", "query", "field"),
    [
        ("/audit", "kind=everything", "kind"),
        ("/audit", "actor=abc", "actor"),
        ("/audit", "actor=0", "actor"),
        ("/audit", "actor=100000000000000000000", "actor"),
        ("/audit", "since=yesterday", "since"),
        ("/audit", "until=2026-02-30", "until"),
        ("/audit", "action=" + "a" * 65, "action"),
        ("/audit", "address=" + "1" * 65, "address"),
        ("/audit", "object_type=" + "t" * 65, "object_type"),
        ("/audit", "object_id=" + "7" * 65, "object_id"),
        ("/audit", "after=yesterday", "after"),
        ("/audit", "after=20261301000000000000-1", "after"),
        ("/audit", "after=42", "after"),
        ("/audit", "per_page=0", "per_page"),
        ("/audit", "per_page=101", "per_page"),
        ("/audit", "page=2", "page"),
        ("/users", "role=king", "role"),
        ("/users", "status=gone", "status"),
        ("/users", "q=" + "q" * 101, "q"),
        ("/users", "after=bob", "after"),
        ("/users", "after=²", "after"),
        ("/audit", "actor=²", "actor"),
        ("/audit", "per_page=²", "per_page"),
        ("/users", "after=0", "after"),
        ("/users", "after=100000000000000000000", "after"),
        ("/users", "per_page=x", "per_page"),
        ("/users", "page=1", "page"),
    ],
)
def test_bad_api_list_parameters_answer_422_naming_them(app, client, admin_api, path, query, field):
    response = client.get(f"{API}{path}?{query}", headers=admin_api)
    assert response.status_code == 422, response.json
    assert list(response.json["error"]["fields"]) == [field]
    assert response.json["error"]["fields"][field][0]


@pytest.mark.parametrize("path", ["/users", "/audit"])
@pytest.mark.parametrize("role", ["recruiter", "hiring_manager", "team_member"])
def test_the_api_lists_are_for_admins_only(app, client, users, path, role):
    response = client.get(f"{API}{path}", headers=bearer(app, users[role]))
    assert response.status_code == 403
    assert client.get(f"{API}{path}").status_code == 401


def test_the_document_lists_the_parameters_the_api_reads(client):
    paths = client.get(f"{API}/openapi.json").json["paths"]
    for path, names in (("/users", USER_PARAMETERS), ("/audit", AUDIT_PARAMETERS)):
        documented = [p["name"] for p in paths[path]["get"]["parameters"]]
        assert documented == list(names)


# --- the indexes the pages' queries use ------------------------------------------------


def _plan(query) -> str:
    sql = str(query.compile(dialect=sqlite.dialect(), compile_kwargs={"literal_binds": True}))
    return " | ".join(row[-1] for row in db.session.execute(text("EXPLAIN QUERY PLAN " + sql)))


def _audit_page(**filters):
    """The query of a deep page of the audit log (past the 10th row of START)."""
    query = queries.audit_list(**filters).order_by(None)
    query = query.where(beyond(AuditEvent.occurred_at, AuditEvent.id, (START, 10), older=True))
    return query.order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc()).limit(26)


def _on_postgresql(app) -> bool:
    return app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql")


def test_each_list_query_searches_its_index(app):
    """SQLite's plans: each filter has an index ending in the list's order, and a deep
    page starts at its position in the index."""
    if _on_postgresql(app):
        pytest.skip("EXPLAIN QUERY PLAN is SQLite's; PostgreSQL's plan is checked below")
    with app.app_context():
        assert "USING INDEX ix_audit_events_occurred (occurred_at<" in _plan(_audit_page())
        assert "USING INDEX ix_audit_events_action_occurred (action=?" in _plan(
            _audit_page(kind="denied")
        )
        assert "USING INDEX ix_audit_events_object (object_type=? AND object_id=? AND " in (
            _plan(_audit_page(object_type="offer", object_id="7"))
        )
        users = queries.user_list(active=False).order_by(None)
        assert "USING INDEX ix_users_active_email (active=? AND email>?)" in _plan(
            users.where(User.email > "m").order_by(User.email).limit(26)
        )


def test_a_deep_page_starts_its_index_scan_at_its_position_on_postgresql(app):
    """PostgreSQL does not take 'moment < at OR (moment = at AND id < last)' as a range
    of the index: without a bound on the moment alone, a deep page walked every newer row
    (Rows Removed by Filter)."""
    if not _on_postgresql(app):
        pytest.skip("PostgreSQL's planner")
    with app.app_context():
        db.session.execute(
            text(
                "INSERT INTO audit_events (occurred_at, channel, action, summary) "
                "SELECT :start - g * interval '1 minute', 'system', 'test.bulk', '{}' "
                "FROM generate_series(1, 20000) g"
            ),
            {"start": START + timedelta(days=7)},  # about half the rows are older than START
        )
        db.session.execute(text("ANALYZE audit_events"))
        sql = str(
            _audit_page().compile(dialect=db.engine.dialect, compile_kwargs={"literal_binds": True})
        )
        plan = "\n".join(db.session.scalars(text("EXPLAIN " + sql.replace("%%", "%"))))
        db.session.rollback()
    assert "Index Scan Backward using ix_audit_events_occurred" in plan, plan
    assert "Index Cond: (occurred_at <=" in plan, plan
