from __future__ import annotations

import pytest
from sqlalchemy import select

from app.db import db
from app.models import AuditEvent, Role, User
from app.services import accounts, audit
from app.services.errors import ConflictError


@pytest.fixture
def admin_client(app, client, users, auth):
    auth.login(users["admin"])
    return client


def add_users(make_user, n, prefix="bulk"):
    for i in range(n):
        make_user(f"{prefix}{i}@example.org", (Role.RECRUITER, Role.INTERVIEWER))


def test_users_list_query_count_does_not_grow(app, admin_client, make_user, count_queries):
    add_users(make_user, 3, "small")
    with count_queries() as small:
        assert admin_client.get("/admin/users").status_code == 200
    add_users(make_user, 30, "large")
    with count_queries() as large:
        response = admin_client.get("/admin/users")
    assert response.status_code == 200
    assert large.count == small.count, large.statements


def test_users_list_pages_by_cursor_and_filters(app, admin_client, make_user):
    app.config["ADMIN_PAGE_SIZE"] = 5
    try:
        add_users(make_user, 7)
        first = admin_client.get("/admin/users?role=recruiter")
        assert first.data.count(b"@example.org</td>") == 5
        assert b'rel="next"' in first.data and b'rel="prev"' not in first.data
        assert admin_client.get("/admin/users?q=bulk3").data.count(b"bulk3@example.org") == 1
        empty = admin_client.get("/admin/users?q=nothing-like-this")
        assert b"No users match these filters." in empty.data
        # Numbered pages are gone: ?page= is ignored, the first page answers.
        assert admin_client.get("/admin/users?page=99").status_code == 200
    finally:
        app.config["ADMIN_PAGE_SIZE"] = 25


def test_role_change_is_saved_and_audited(app, admin_client, users):
    member = users["team_member"]
    with app.app_context():
        user = db.session.get(User, member)
        version, name = user.version, user.display_name
    response = admin_client.post(
        f"/admin/users/{member}",
        data={"display_name": name, "roles": ["team_member", "recruiter"], "version": str(version)},
    )
    assert response.status_code == 302
    with app.app_context():
        user = db.session.get(User, member)
        assert user.role_set == {Role.TEAM_MEMBER, Role.RECRUITER}
        event = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "user.update")
        ).one()
        assert event.actor_id == users["admin"]
        assert event.object_id == str(member)
        assert event.summary == {
            "roles": {"before": ["team_member"], "after": ["recruiter", "team_member"]}
        }


def test_a_stale_edit_is_refused_and_nothing_is_lost(app, admin_client, users):
    member = users["team_member"]
    with app.app_context():
        stale_version = db.session.get(User, member).version
        # Someone else changes the user after the form was loaded.
        accounts.set_roles(db.session.get(User, member), ["team_member", "interviewer"], actor=None)
    response = admin_client.post(
        f"/admin/users/{member}",
        data={"display_name": "Overwriter", "roles": ["admin"], "version": str(stale_version)},
    )
    assert response.status_code == 409
    assert b"changed by someone else" in response.data
    with app.app_context():
        user = db.session.get(User, member)
        assert user.role_set == {Role.TEAM_MEMBER, Role.INTERVIEWER}
        assert user.display_name != "Overwriter"


def test_concurrent_update_is_detected_at_commit(app, users):
    """Two sessions load the same version; the second commit must fail, not overwrite."""
    member = users["team_member"]
    with app.app_context():
        user = db.session.get(User, member)
        loaded_version = user.version
        # Another process commits in between (simulated with a direct UPDATE).
        db.session.execute(
            User.__table__.update().where(User.id == member).values(version=loaded_version + 1)
        )
        with pytest.raises(ConflictError):
            accounts.update_user(
                user,
                display_name="X",
                roles=["admin"],
                expected_version=loaded_version,
                actor=None,
            )


def test_admin_cannot_remove_own_admin_role(app, admin_client, users):
    admin_id = users["admin"]
    with app.app_context():
        version = db.session.get(User, admin_id).version
    response = admin_client.post(
        f"/admin/users/{admin_id}",
        data={"display_name": "Admin", "roles": ["team_member"], "version": str(version)},
    )
    assert b"cannot remove your own admin role" in response.data


def test_deactivate_and_reactivate(app, admin_client, users):
    member = users["team_member"]
    with app.app_context():
        version = db.session.get(User, member).version
    admin_client.post(f"/admin/users/{member}/active", data={"version": version, "active": "0"})
    with app.app_context():
        user = db.session.get(User, member)
        assert not user.active
        version = user.version
    admin_client.post(f"/admin/users/{member}/active", data={"version": version, "active": "1"})
    with app.app_context():
        assert db.session.get(User, member).active
        actions = list(
            db.session.scalars(
                select(AuditEvent.action)
                .where(AuditEvent.object_id == str(member))
                .order_by(AuditEvent.id)
            )
        )
    assert actions[-2:] == ["user.deactivate", "user.reactivate"]


def test_create_user_from_the_admin_page(app, admin_client):
    response = admin_client.post(
        "/admin/users/new",
        data={
            "email": "New.Person@Example.org",
            "display_name": "New Person",
            "password": "a long enough password",
            "roles": ["recruiter"],
        },
    )
    assert response.status_code == 302
    with app.app_context():
        user = accounts.get_user_by_email("new.person@example.org")
        assert user is not None and user.role_set == {Role.RECRUITER}
    again = admin_client.post(
        "/admin/users/new",
        data={
            "email": "new.person@example.org",
            "display_name": "Again",
            "password": "a long enough password",
            "roles": ["recruiter"],
        },
    )
    assert b"already exists" in again.data


def test_audit_page_filters_and_keeps_query_count(app, admin_client, users, count_queries):
    with app.app_context():
        for i in range(3):
            audit.record(
                "test.small",
                actor=db.session.get(User, users["recruiter"]),
                object_type="thing",
                object_id=i,
            )
        db.session.commit()
    with count_queries() as small:
        assert admin_client.get("/admin/audit").status_code == 200
    with app.app_context():
        for uid in users.values():
            for i in range(10):
                audit.record(
                    "test.large", actor=db.session.get(User, uid), object_type="thing", object_id=i
                )
        db.session.commit()
    with count_queries() as large:
        response = admin_client.get("/admin/audit")
    assert response.status_code == 200
    assert large.count == small.count
    filtered = admin_client.get("/admin/audit?action=test.small")
    assert filtered.data.count(b"<code>test.small</code>") == 3
    assert b"<code>test.large</code>" not in filtered.data
    by_object = admin_client.get("/admin/audit?object_type=thing&object_id=2&action=test.s")
    assert by_object.data.count(b"thing #2") == 1
    bad = admin_client.get("/admin/audit?since=not-a-date")
    assert bad.status_code == 200
    assert b"Not a valid date value" in bad.data


def placement(app, admin_client, user_id, **data):
    with app.app_context():
        version = db.session.get(User, user_id).version
    return admin_client.post(
        f"/admin/users/{user_id}/placement",
        data={"version": version, **data},
        follow_redirects=True,
    )


def test_admin_sets_a_persons_place_on_the_ladder(app, admin_client, client, users):
    member, manager = users["team_member"], users["hiring_manager"]
    response = placement(
        app,
        admin_client,
        member,
        level_id="csm",
        specialty_id="",
        manager_id=manager,
        level_since="2025-03-01",
    )
    assert "Position on the ladder saved." in response.text
    with app.app_context():
        user = db.session.get(User, member)
        assert (user.level_id, user.manager_id, str(user.level_since)) == (
            "csm",
            manager,
            "2025-03-01",
        )
        event = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "user.placement")
        ).one()
        assert event.summary["level_id"] == {"before": None, "after": "csm"}
    # The person sees it on their account page.
    from tests.conftest import login_as

    own = app.test_client()
    login_as(app, own, member)
    page = own.get("/account").text
    assert "CSM (Intermediate)" in page or "Customer Success Manager" in page
    assert "since 2025-03-01" in page


def test_a_loop_of_managers_is_refused(app, admin_client, users):
    a, b = users["team_member"], users["hiring_manager"]
    placement(app, admin_client, a, level_id="csm", manager_id=b)
    response = placement(app, admin_client, b, level_id="manager-csm", manager_id=a)
    assert "loop of managers" in response.text
    with app.app_context():
        assert db.session.get(User, b).manager_id is None


def test_unknown_specialty_for_the_level_is_refused(app, admin_client, users):
    response = placement(
        app, admin_client, users["team_member"], level_id="director-cs", specialty_id="scale"
    )
    assert "has no specialty &#39;scale&#39;" in response.text
