"""Fixtures: one schema per session (built by the migrations), one SAVEPOINT per test.

Application code really commits; each test still rolls back. Flask-SQLAlchemy 3 ignores
``session.configure(bind=...)``, so the engine entry is swapped for the test's
connection and the session joins it with ``create_savepoint``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event, text
from sqlalchemy.engine import Connection

from app import create_app
from app.accounts.queries import DEMO_STATE, demo_accounts_exist
from app.db import db
from app.models import Role, User
from app.services import accounts, sessions

pytest_plugins = ["tests.mail_server"]

PASSWORD = "correct horse battery staple"


def pytest_configure(config: pytest.Config) -> None:
    """With ``TEST_DATABASE_URL``, check once, before any worker starts, that the server
    answers (each worker would otherwise crash on its own)."""
    if os.environ.get("TEST_DATABASE_URL") and not os.environ.get("PYTEST_XDIST_WORKER"):
        _postgres_database(os.environ["TEST_DATABASE_URL"], None)


def test_database_url(tmp_dir: Path) -> str:
    """SQLite in the session's temporary folder, or ``TEST_DATABASE_URL``.

    The PostgreSQL database it names is created when missing (as
    ``scripts/create_pg_database.py`` does). Under pytest-xdist each worker gets a database
    of its own on the same server (``<name>_gw0``, ``<name>_gw1``…), since every session
    rebuilds its schema from the migrations. A server that does not answer stops the run
    once, saying what to do.
    """
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        return f"sqlite:///{tmp_dir / 'test.db'}"
    return _postgres_database(url, os.environ.get("PYTEST_XDIST_WORKER"))


def _postgres_database(url: str, worker: str | None) -> str:
    """The URL of the test database (this worker's copy), created when missing."""
    from sqlalchemy.engine import make_url

    from scripts.create_pg_database import ServerUnreachable, ensure_database

    given = make_url(url)
    name = f"{given.database}_{worker}" if worker else given.database
    server = given.set(drivername="postgresql", database="postgres")
    try:
        ensure_database(server.render_as_string(hide_password=False), name or "")
    except ServerUnreachable as exc:
        pytest.exit(
            f"TEST_DATABASE_URL: PostgreSQL does not answer at {given.host}:{given.port or 5432}"
            f" ({exc}).\nStart the server, or run the tests on SQLite: unset "
            "TEST_DATABASE_URL. The test database is created when missing; to create it by "
            "hand:\n  .venv/bin/python scripts/create_pg_database.py "
            f"{server.render_as_string(hide_password=True)} {given.database}",
            returncode=2,
        )
    return given.set(drivername="postgresql+psycopg", database=name).render_as_string(
        hide_password=False
    )


def reset_postgres_schema(app: Flask) -> None:
    with app.app_context(), db.engine.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))


@pytest.fixture(scope="session")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    from flask_migrate import upgrade

    tmp = tmp_path_factory.mktemp("db")
    url = test_database_url(tmp)
    app = create_app(
        {
            "HIRELADDER_ENV": "testing",
            "SECRET_KEY": "test-secret-key",
            "SQLALCHEMY_DATABASE_URI": url,
            "WTF_CSRF_ENABLED": False,
            "SERVER_NAME": "hireladder.test",
            "CV_STORAGE_DIR": tmp / "cv",
            "PDF_CACHE_DIR": tmp / "pdf-cache",
        }
    )
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        reset_postgres_schema(app)
    with app.app_context():
        upgrade()
        db.session.remove()
        db.session.configure(join_transaction_mode="create_savepoint")
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(autouse=True)
def _isolated_db(request: pytest.FixtureRequest) -> Iterator[Connection | None]:
    """Run the test inside an outer transaction that is rolled back afterwards."""
    if "app" not in request.fixturenames:
        yield None
        return
    app: Flask = request.getfixturevalue("app")
    # What the app keeps of the database between requests starts afresh with it.
    app.extensions.pop(DEMO_STATE, None)
    with app.app_context():
        engines = db.engines
        engine = engines[None]
        connection = engine.connect()
        transaction = connection.begin()
        engines[None] = connection  # type: ignore[assignment]
    try:
        yield connection
    finally:
        with app.app_context():
            db.session.remove()
            engines[None] = engine
        transaction.rollback()
        connection.close()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> Any:
    return app.test_cli_runner()


@pytest.fixture
def csrf_enabled(app: Flask) -> Iterator[None]:
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        yield
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


@dataclass
class UserFactory:
    app: Flask

    def __call__(
        self,
        email: str,
        roles: list[Role] | tuple[Role, ...] = (Role.TEAM_MEMBER,),
        *,
        name: str | None = None,
        password: str = PASSWORD,
    ) -> int:
        with self.app.app_context():
            user = accounts.create_user(
                email,
                name or email.split("@")[0].title(),
                password,
                roles,
                actor=None,
                channel="system",
            )
            return user.id


@pytest.fixture
def make_user(app: Flask) -> UserFactory:
    return UserFactory(app)


ROLE_USERS = {
    "admin": [Role.ADMIN],
    "recruiter": [Role.RECRUITER],
    "hiring_manager": [Role.HIRING_MANAGER],
    "interviewer": [Role.INTERVIEWER],
    "team_member": [Role.TEAM_MEMBER],
}


@pytest.fixture
def users(make_user: UserFactory) -> dict[str, int]:
    """One user per role: ``users["recruiter"]`` is that user's id."""
    return {role: make_user(f"{role}@example.org", roles) for role, roles in ROLE_USERS.items()}


def login_as(app: Flask, client: FlaskClient, user_id: int) -> str:
    """Sign ``client`` in as the user without the form; returns the session token."""
    with app.app_context():
        user = db.session.get(User, user_id)
        assert user is not None
        token = sessions.start(user)
        db.session.commit()
    with client.session_transaction() as sess:
        sess["_user_id"] = token
        sess["_fresh"] = True
    return token


@pytest.fixture
def auth(app: Flask, client: FlaskClient) -> Any:
    class Auth:
        def login(self, user_id: int) -> str:
            return login_as(app, client, user_id)

        def login_form(self, email: str, password: str = PASSWORD, **extra: Any) -> Any:
            return client.post("/login", data={"email": email, "password": password, **extra})

    return Auth()


class QueryCounter:
    IGNORED = ("SAVEPOINT", "RELEASE", "ROLLBACK", "BEGIN", "COMMIT")

    def __init__(self) -> None:
        self.statements: list[str] = []

    @property
    def count(self) -> int:
        return len(self.statements)

    def __call__(self, conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if not statement.lstrip().upper().startswith(self.IGNORED):
            self.statements.append(statement)


@pytest.fixture
def count_queries(app: Flask, _isolated_db: Connection) -> Any:
    """``with count_queries() as q: ...`` then ``q.count`` is the number of SQL queries.

    Counted as a running server counts them: what the app keeps between requests (whether
    demo accounts exist) is read before counting starts."""

    @contextmanager
    def counting() -> Iterator[QueryCounter]:
        with app.test_request_context():
            demo_accounts_exist()
        counter = QueryCounter()
        event.listen(_isolated_db, "before_cursor_execute", counter)
        try:
            yield counter
        finally:
            event.remove(_isolated_db, "before_cursor_execute", counter)

    return counting


MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n"
    b"2 0 obj <</Type /Pages /Kids [] /Count 0>> endobj\n"
    b"trailer <</Root 1 0 R>>\n%%EOF\n"
)


@pytest.fixture
def hiring_objects(app, users) -> dict[str, int]:
    """A senior-csm requisition (hiring manager: ``users["hiring_manager"]``), a candidate
    with a stored PDF CV, their application at the recruiter screen, and its peer
    interview (interviewer: ``users["interviewer"]``) scheduled."""
    from datetime import UTC, datetime

    from app.hiring.cv_content import CvKind
    from app.hiring.cv_storage import CvStore
    from app.services import hiring

    with app.app_context():
        recruiter = db.session.get(User, users["recruiter"])
        requisition = hiring.create_requisition(
            title="Senior CSM, EMEA",
            level_id="senior-csm",
            specialty_id=None,
            hiring_manager=db.session.get(User, users["hiring_manager"]),
            recruiter=recruiter,
            headcount=1,
            actor=recruiter,
        )
        # Published on the careers site (/jobs/<id>), as a recruiter would.
        requisition.posting_location = "Berlin, Germany"
        requisition.published_at = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
        db.session.commit()
        stored = CvStore(app.config["CV_STORAGE_DIR"]).save(MINIMAL_PDF, "cv.pdf", CvKind.PDF)
        candidate = hiring.add_candidate(
            hiring.CandidateDetails(name="Casey Candidate", email="casey@example.org"),
            actor=recruiter,
            cv=hiring.StoredCv(stored.key, "pdf", stored.size, stored.sha256),
        )
        application = hiring.open_application(candidate, requisition, actor=recruiter)
        from app.services import interviews

        interview = interviews.schedule_interview(
            application,
            stage_id="peer-interview",
            interviewers=[db.session.get(User, users["interviewer"])],
            starts_at=datetime(2026, 12, 1, 15, 0, tzinfo=UTC),
            location="Video call",
            actor=recruiter,
        )
        return {
            "requisition_id": requisition.id,
            "candidate_id": candidate.id,
            "application_id": application.id,
            "interview_id": interview.id,
        }


def place(user_id: int, level_id: str | None, manager_id: int | None) -> None:
    """Set a person's level and manager directly (inside an app context)."""
    user = db.session.get(User, user_id)
    assert user is not None
    user.level_id = level_id
    user.manager_id = manager_id
    db.session.commit()


def fill_required(
    packet_id: int, actor_id: int, text: str = "Led the renewal of a key account."
) -> None:
    """Write evidence into every required section of a draft packet."""
    from app.services import promotions

    actor = db.session.get(User, actor_id)
    assert actor is not None
    view = promotions.load_packet(actor, packet_id)
    assert view is not None
    edits = {s.key: (text, s.version) for s in view.packet.sections if s.required}
    promotions.save_sections(view, actor, edits)


@pytest.fixture
def promotion_objects(app, users) -> dict[str, int]:
    """People and packets: the team member (csm) and the interviewer (senior-csm) report to
    the hiring manager (manager-csm), who reports to the admin. The hiring manager has a
    draft packet for the team member (csm -> senior-csm) and a submitted one for the
    interviewer (senior-csm -> staff-csm); the recruiter is nobody's manager."""
    from app.services import promotions

    with app.app_context():
        place(users["hiring_manager"], "manager-csm", users["admin"])
        place(users["team_member"], "csm", users["hiring_manager"])
        place(users["interviewer"], "senior-csm", users["hiring_manager"])
        manager = db.session.get(User, users["hiring_manager"])
        draft = promotions.start_packet(
            manager, db.session.get(User, users["team_member"]), "senior-csm"
        )
        submitted = promotions.start_packet(
            manager, db.session.get(User, users["interviewer"]), "staff-csm"
        )
        draft_id, submitted_id = draft.id, submitted.id
        fill_required(submitted_id, manager.id)
        view = promotions.load_packet(manager, submitted_id)
        assert view is not None
        promotions.submit_packet(view, manager, expected_version=None)
        draft_view = promotions.load_packet(manager, draft_id)
        assert draft_view is not None
        return {
            "draft_packet_id": draft_id,
            "submitted_packet_id": submitted_id,
            "draft_section_key": draft_view.packet.sections[0].key,
        }


@pytest.fixture
def fresh_database_url(tmp_path) -> Iterator[str]:
    """An empty database of its own (SQLite file, or a new PostgreSQL database), for tests
    that need real commits seen by several connections."""
    import uuid

    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        yield f"sqlite:///{tmp_path / 'fresh.db'}"
        return
    url = make_url(base).set(drivername="postgresql+psycopg")
    name = f"hireladder_fresh_{uuid.uuid4().hex[:8]}"
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


@pytest.fixture
def without_periodic_jobs(monkeypatch: pytest.MonkeyPatch) -> None:
    """``worker.run_once`` delivers messages only: the periodic jobs (reminders, digests)
    would find work due or not depending on the day the suite runs, since the fixtures'
    interviews are on fixed dates. Tests of the jobs pass their own clock."""
    from app.notifications import worker

    monkeypatch.setattr(worker, "scheduled_jobs", lambda: [])
