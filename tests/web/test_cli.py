from __future__ import annotations

import re

from sqlalchemy import func, select

from app.db import db
from app.models import (
    ApiToken,
    Application,
    AuditEvent,
    PromotionPacket,
    Requisition,
    Role,
    User,
)
from app.services import accounts
from app.services.demo import DEMO_HISTORY_APPLICATIONS, DEMO_PASSWORD, DEMO_USERS


def test_users_create_list_set_roles_deactivate(app, runner):
    result = runner.invoke(
        args=[
            "users",
            "create",
            "Ada@Example.org",
            "--name",
            "Ada",
            "--roles",
            "recruiter,interviewer",
            "--password",
            "a long enough password",
        ]
    )
    assert result.exit_code == 0, result.output
    assert "Created ada@example.org (interviewer, recruiter)" in result.output

    listing = runner.invoke(args=["users", "list"])
    assert "ada@example.org" in listing.output and "interviewer,recruiter" in listing.output

    result = runner.invoke(args=["users", "set-roles", "ada@example.org", "admin"])
    assert result.exit_code == 0
    with app.app_context():
        assert accounts.get_user_by_email("ada@example.org").role_set == {Role.ADMIN}

    result = runner.invoke(args=["users", "deactivate", "ada@example.org"])
    assert result.exit_code == 0
    with app.app_context():
        assert not accounts.get_user_by_email("ada@example.org").active
        channels = set(
            db.session.scalars(
                select(AuditEvent.channel).where(
                    AuditEvent.action.in_(["user.create", "user.update", "user.deactivate"])
                )
            )
        )
    assert channels == {"cli"}


def test_cli_errors_are_messages_not_tracebacks(runner, make_user):
    result = runner.invoke(args=["users", "set-roles", "nobody@example.org", "admin"])
    assert result.exit_code == 1
    assert "No user with the e-mail address nobody@example.org" in result.output
    make_user("ada@example.org")
    result = runner.invoke(args=["users", "set-roles", "ada@example.org", "wizard"])
    assert result.exit_code == 1
    assert "Unknown role 'wizard'" in result.output
    result = runner.invoke(
        args=[
            "users",
            "create",
            "not-an-email",
            "--name",
            "X",
            "--password",
            "a long enough password",
        ]
    )
    assert result.exit_code == 1 and "is not valid" in result.output
    result = runner.invoke(
        args=["users", "create", "b@example.org", "--name", "B", "--password", "short"]
    )
    assert "at least 12 characters" in result.output


def test_token_is_printed_once_stored_hashed_and_revocable(app, runner, client, make_user):
    make_user("ada@example.org")
    result = runner.invoke(args=["users", "token", "ada@example.org"])
    assert result.exit_code == 0
    raw = result.stdout.strip().splitlines()[0]
    assert raw.startswith("hl_")
    with app.app_context():
        row = db.session.scalars(select(ApiToken)).one()
        assert raw not in row.token_hash
        token_id = row.id
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"}).status_code == 200
    listing = runner.invoke(args=["users", "tokens", "ada@example.org"])
    assert f"#{token_id}" in listing.output and "active" in listing.output
    assert runner.invoke(args=["users", "revoke-token", str(token_id)]).exit_code == 0
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"}).status_code == 401


def test_demo_load_is_idempotent(app, runner):
    first = runner.invoke(args=["demo", "load"])
    assert first.exit_code == 0, first.output
    with app.app_context():
        count = db.session.scalar(select(func.count()).select_from(User))
        applications = db.session.scalar(select(func.count()).select_from(Application))
        # 13 in the demo pipelines, and the team member's two referrals; the rest is the
        # generated hiring history (its requisitions' titles never say "(demo)").
        scripted = db.session.scalar(
            select(func.count())
            .select_from(Application)
            .join(Requisition)
            .where(Requisition.title.like("%(demo)"))
        )
        assert scripted == 15
        assert applications == 15 + DEMO_HISTORY_APPLICATIONS
        member = accounts.get_user_by_email("member@example.com")
        referred = db.session.scalars(
            select(Application.status)
            .where(Application.referrer_id == member.id, Application.source == "referral")
            .order_by(Application.id)
        ).all()
        assert referred == ["active", "declined"]
        packets = db.session.scalars(
            select(PromotionPacket).where(PromotionPacket.status != "approved")
        ).all()
        assert [(p.target_level_id, p.status) for p in packets] == [("staff-csm", "submitted")]
        history_packets = db.session.scalar(select(func.count()).select_from(PromotionPacket))
        manager = accounts.get_user_by_email("manager@example.com")
        # Change something: loading again must neither duplicate nor wipe it.
        accounts.set_roles(manager, ["hiring_manager", "team_member", "recruiter"], actor=None)
    second = runner.invoke(args=["demo", "load"])
    assert "nothing changed" in second.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == count
        assert db.session.scalar(select(func.count()).select_from(Application)) == applications
        assert (
            db.session.scalar(select(func.count()).select_from(PromotionPacket))
            == history_packets
        )
        assert Role.RECRUITER in accounts.get_user_by_email("manager@example.com").role_set
    for email, _name, _roles in DEMO_USERS:
        client = app.test_client()
        response = client.post("/login", data={"email": email, "password": DEMO_PASSWORD})
        assert response.status_code == 302, email
        assert client.get("/api/v1/me").json["email"] == email


def test_demo_banner_shows_while_demo_users_exist(app, runner, client, auth, users):
    auth.login(users["team_member"])
    assert b"Demo data" not in client.get("/").data
    runner.invoke(args=["demo", "load"])
    assert b"Demo data" in client.get("/").data


def test_demo_data_is_refused_in_production(tmp_path):
    from app import create_app

    app = create_app(
        {
            "HIRELADDER_ENV": "production",
            "SECRET_KEY": "x" * 40,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'prod.db'}",
        }
    )
    result = app.test_cli_runner().invoke(args=["demo", "load"])
    assert result.exit_code == 1
    assert "never loaded in production" in result.output


def test_sign_out_ends_one_accounts_sessions_or_everyones(app, runner, make_user):
    from app.models import UserSession
    from app.services import sessions

    ada, bob = make_user("ada@example.org"), make_user("bob@example.org")
    with app.app_context():
        for user_id in (ada, ada, bob):
            sessions.start(db.session.get(User, user_id))
        db.session.commit()
    result = runner.invoke(args=["users", "sign-out", "ada@example.org"])
    assert result.exit_code == 0, result.output
    assert "2 sessions ended (ada@example.org)" in result.output
    result = runner.invoke(args=["users", "sign-out", "--all"])
    assert "1 session ended (every account)" in result.output
    with app.app_context():
        live = db.session.scalar(
            select(func.count()).select_from(UserSession).where(UserSession.revoked_at.is_(None))
        )
        assert live == 0
    assert runner.invoke(args=["users", "sign-out"]).exit_code == 2


def test_reset_link_prints_a_working_link(app, runner, client, make_user):
    make_user("ada@example.org")
    result = runner.invoke(
        args=["users", "reset-link", "ada@example.org", "--base-url", "https://hire.example"]
    )
    assert result.exit_code == 0, result.output
    link = result.stdout.strip().splitlines()[0]
    assert link.startswith("https://hire.example/reset/")
    assert client.get(link.removeprefix("https://hire.example")).status_code == 200


def test_first_steps_say_where_to_look_first(app, runner):
    """What `make run` prints before the server's log: the address, each demo account with
    the password, and the first thing to try as it, each a page that exists."""
    result = runner.invoke(args=["demo", "first-steps", "--url", "http://127.0.0.1:5050/"])
    assert result.exit_code == 0, result.output
    text = result.output
    assert text.splitlines()[0] == "Open http://127.0.0.1:5050/ and sign in as:"
    assert f"password for all: {DEMO_PASSWORD}" in text
    for email, _name, _roles in DEMO_USERS:
        assert email in text
    links = re.findall(r"http://127\.0\.0\.1:5050(/\S*)", text)
    assert {"/hiring/requisitions", "/hiring/my-interviews", "/careers/me"} <= set(links)
    with app.test_request_context():
        adapter = app.url_map.bind("hireladder.test")
        for path in links:
            adapter.match(path.rstrip("."), method="GET")  # raises when there is no such page
    assert "/admin/mail" in text  # where messages go without SMTP
