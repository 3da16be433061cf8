"""What every signed-in request pays before its page's own work: one statement for the
session, its user and roles; no per-request scan of a table for the demo banner."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import insert, select, text

from app.accounts import queries
from app.db import db
from app.models import Role, User, UserRole
from app.services import sessions


def add_people(count: int, *, demo: bool = False) -> None:
    """``count`` accounts written straight to the table (as another process would)."""
    if count == 0:
        return
    rows = [
        {
            "email": f"person{n}{'-demo' if demo else ''}@example.org",
            "display_name": f"Person {n}",
            "active": True,
            "is_demo": demo,
            "version": 1,
            "notification_preferences": {},
        }
        for n in range(count)
    ]
    ids = db.session.scalars(insert(User).returning(User.id), rows).all()
    db.session.execute(insert(UserRole), [{"user_id": i, "role": Role.INTERVIEWER} for i in ids])
    db.session.commit()


def test_the_session_its_user_and_roles_are_one_statement(app, users, count_queries):
    with app.test_request_context():
        token = sessions.start(db.session.get(User, users["recruiter"]))
        db.session.commit()
        db.session.expunge_all()
        with count_queries() as counted:
            user = sessions.load_user(token)
            assert user is not None
            assert user.has_role(Role.RECRUITER) and not user.has_role(Role.ADMIN)
    assert counted.count == 1, counted.statements
    assert "user_roles" in counted.statements[0] and "user_sessions" in counted.statements[0]


@pytest.mark.parametrize("people", [0, 300])
def test_a_signed_in_page_reads_no_table_for_the_demo_banner(
    app, client, auth, users, count_queries, people
):
    with app.app_context():
        add_people(people)
    auth.login(users["team_member"])
    assert client.get("/account").status_code == 200
    with count_queries() as counted:
        page = client.get("/account")
    assert page.status_code == 200
    assert not any(re.search(r"WHERE.*is_demo", s, re.S) for s in counted.statements)
    # The session with its user and roles, the page's list of sessions, two-step sign-in.
    assert counted.count == 3, counted.statements


def test_demo_accounts_loaded_by_another_process_show_within_the_recheck_time(
    app, client, auth, users, monkeypatch
):
    clock = [1000.0]
    monkeypatch.setattr(queries, "monotonic", lambda: clock[0])
    auth.login(users["team_member"])
    assert "Demo data" not in client.get("/account").text
    with app.app_context():
        add_people(1, demo=True)  # written by another process: this one is not told
    assert "Demo data" not in client.get("/account").text
    clock[0] += app.config["DEMO_BANNER_RECHECK"].total_seconds() - 1
    assert "Demo data" not in client.get("/account").text
    clock[0] += 2
    assert "Demo data" in client.get("/account").text


def test_loading_demo_data_in_this_process_shows_the_banner_at_once(
    app, client, auth, users, runner
):
    auth.login(users["team_member"])
    assert "Demo data" not in client.get("/account").text
    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    assert "Demo data" in client.get("/account").text


def test_the_demo_probe_is_served_by_the_partial_index(app):
    with app.app_context():
        add_people(200)
        probe = select(queries.exists().where(User.is_demo == queries.true()))
        sql = str(probe.compile(db.engine, compile_kwargs={"literal_binds": True}))
        if db.engine.dialect.name == "postgresql":
            db.session.execute(text("SET LOCAL enable_seqscan = off"))
            plan = "\n".join(db.session.scalars(text(f"EXPLAIN {sql}")))
        else:
            plan = "\n".join(
                row[-1] for row in db.session.execute(text(f"EXPLAIN QUERY PLAN {sql}"))
            )
        db.session.rollback()
    assert "ix_users_demo" in plan, plan


def test_the_health_check_answers_without_a_session_the_database_or_a_rate_limit(
    app, client, auth, users, count_queries, monkeypatch
):
    monkeypatch.setitem(app.config, "RATE_LIMITS_ENABLED", True)
    monkeypatch.setitem(
        app.config, "RATE_LIMITS", {**app.config["RATE_LIMITS"], "default": "2 per minute"}
    )
    app.extensions["rate_limiter"].reset()
    auth.login(users["team_member"])
    with count_queries() as counted:
        answers = [client.get("/health") for _ in range(5)]
    assert [a.status_code for a in answers] == [200] * 5
    assert answers[0].text == "ok\n" and answers[0].mimetype == "text/plain"
    assert answers[0].headers["Cache-Control"] == "no-store"
    assert counted.count == 0
    # The limit itself holds for the pages.
    assert [client.get("/account").status_code for _ in range(3)] == [200, 200, 429]


def test_templates_are_compiled_once_per_process(tmp_path, monkeypatch):
    from app import create_app

    app = create_app(
        {
            "HIRELADDER_ENV": "production",
            "SECRET_KEY": "x" * 40,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'prod.db'}",
        }
    )
    compiled: list[str | None] = []
    original = app.jinja_env.compile

    def counting(source, name=None, filename=None, raw=False, defer_init=False):
        compiled.append(name)
        return original(source, name, filename, raw, defer_init)

    monkeypatch.setattr(app.jinja_env, "compile", counting)
    client = app.test_client()
    assert client.get("/login").status_code == 200
    first = len(compiled)
    assert first > 0
    for _ in range(3):
        assert client.get("/login").status_code == 200
    assert len(compiled) == first, compiled[first:]
    assert app.jinja_env.auto_reload is False


@pytest.mark.parametrize("packet_id", [1, 42, 2**31 - 1])
def test_a_packets_links_built_once_are_the_routes_own(app, packet_id):
    from flask import url_for

    from app.promotions.represent import _link_maker

    with app.test_request_context():
        assert _link_maker()(packet_id) == {
            "self": url_for("api.promotion_detail", packet_id=packet_id),
            "document": url_for("api.promotion_document_pdf", packet_id=packet_id, paper="a4"),
        }
