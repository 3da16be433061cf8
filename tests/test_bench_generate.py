"""``bench/generate.py``: a database filled like a real company's, that the app's own views
accept, the same for the same seed.

The script runs as people run it (a subprocess, its JSON summary on stdout) into SQLite
files of its own; the app then opens the file and answers requests as the accounts the
script printed.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import create_engine, func, select, text

from app import create_app
from app.models import Application, Candidate, InterviewInterviewer, Requisition, User
from pipelines.applications import ApplicationStatus

ROOT = Path(__file__).resolve().parents[1]
APPLICATIONS = 2_000
SEED = 7
TODAY = "2026-11-20"


def generate(url: str, *extra: str) -> dict[str, Any]:
    done = subprocess.run(  # noqa: S603 - this interpreter, the repository's script
        [
            sys.executable,
            str(ROOT / "bench" / "generate.py"),
            "--applications",
            str(APPLICATIONS),
            "--database-url",
            url,
            "--seed",
            str(SEED),
            "--today",
            TODAY,
            *extra,
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    summary: dict[str, Any] = json.loads(done.stdout)
    return summary


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, dict[str, Any]]:
    tmp = tmp_path_factory.mktemp("generated")
    url = f"sqlite:///{tmp / 'bench.db'}"
    return url, generate(url)


@pytest.fixture(scope="module")
def web(
    generated: tuple[str, dict[str, Any]], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Flask]:
    url, _summary = generated
    tmp = tmp_path_factory.mktemp("web")
    app = create_app(
        {
            "HIRELADDER_ENV": "testing",
            "SECRET_KEY": "test-secret-key",
            "SQLALCHEMY_DATABASE_URI": url,
            "WTF_CSRF_ENABLED": False,
            "CV_STORAGE_DIR": tmp / "cv",
            "PDF_CACHE_DIR": tmp / "pdf-cache",
        }
    )
    yield app
    from app.db import db

    with app.app_context():
        db.engine.dispose()


def count(url: str, query: Any) -> Any:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(query).scalar_one()
    finally:
        engine.dispose()


def rows(url: str, query: Any) -> list[Any]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return list(conn.execute(query))
    finally:
        engine.dispose()


def sign_in(app: Flask, email: str, password: str) -> FlaskClient:
    client = app.test_client()
    answer = client.post("/login", data={"email": email, "password": password})
    assert answer.status_code == 302, answer.get_data(as_text=True)[:500]
    return client


def test_the_counts_asked_for_are_produced(generated: tuple[str, dict[str, Any]]) -> None:
    url, summary = generated
    tables = summary["rows"]
    assert count(url, select(func.count()).select_from(Application)) == APPLICATIONS
    assert tables["applications"] == APPLICATIONS
    # About one requisition per 100 applications, one candidate per application (some
    # people applied more than once), one user per 16 applications.
    assert 15 <= tables["requisitions"] <= 25
    assert 0.8 * APPLICATIONS <= tables["candidates"] < APPLICATIONS
    several = rows(
        url,
        select(Application.candidate_id)
        .group_by(Application.candidate_id)
        .having(func.count() > 1),
    )
    assert len(several) >= 0.03 * APPLICATIONS
    assert APPLICATIONS / 16 * 0.75 <= tables["users"] <= APPLICATIONS / 16 * 1.35
    # Interviews, submitted scorecards, promotions, several audit rows per application.
    assert tables["interviews"] >= 0.3 * APPLICATIONS
    assert tables["scorecards"] >= tables["interviews"] * 0.8
    assert tables["promotion_packets"] >= 5
    assert tables["audit_events"] >= 4 * APPLICATIONS
    assert count(url, text("SELECT count(*) FROM audit_events")) == tables["audit_events"]
    # The requisition of exactly 500 applications; no room for the one of 5,000.
    big = summary["requisitions"]["500"]
    assert summary["requisitions"]["5000"] is None
    assert (
        count(
            url,
            select(func.count()).select_from(Application).where(Application.requisition_id == big),
        )
        == 500
    )


def test_stages_and_outcomes_spread_like_a_pipeline(
    generated: tuple[str, dict[str, Any]],
) -> None:
    url, summary = generated
    statuses = dict(
        rows(url, select(Application.status, func.count()).group_by(Application.status))
    )
    assert set(statuses) == {status.value for status in ApplicationStatus}
    active_stages = {
        stage
        for (stage,) in rows(
            url,
            select(Application.stage_id)
            .where(Application.status == ApplicationStatus.ACTIVE.value)
            .distinct(),
        )
    }
    assert len(active_stages) >= 5
    big = summary["requisitions"]["500"]
    open_on_big = count(
        url,
        select(func.count())
        .select_from(Application)
        .where(
            Application.requisition_id == big,
            Application.status == ApplicationStatus.ACTIVE.value,
        ),
    )
    assert open_on_big >= 50


def test_the_busiest_interviewer_is_printed_and_the_demo_interviewer_has_one_percent(
    generated: tuple[str, dict[str, Any]],
) -> None:
    """In a company this small the hiring managers interview most (their own stage of
    every requisition); from 100k applications on, the demo interviewer is the busiest."""
    url, summary = generated
    per_person = rows(
        url,
        select(User.email, func.count())
        .join(InterviewInterviewer, InterviewInterviewer.user_id == User.id)
        .group_by(User.email)
        .order_by(func.count().desc(), User.email),
    )
    busiest = summary["busiest_interviewer"]
    assert (busiest["email"], busiest["interviews"]) == per_person[0]
    seats = dict(per_person)[summary["accounts"]["interviewer"]]
    assert 0.004 <= seats / summary["rows"]["interviews"] <= 0.02


def test_the_app_answers_as_the_printed_accounts(
    generated: tuple[str, dict[str, Any]], web: Flask
) -> None:
    _url, summary = generated
    accounts = summary["accounts"]
    password = summary["password"]
    big = summary["requisitions"]["500"]

    recruiter = sign_in(web, accounts["recruiter"], password)
    for path in (
        "/hiring/requisitions",
        f"/hiring/requisitions/{big}",
        "/hiring/candidates",
        "/api/v1/requisitions",
        "/api/v1/candidates",
        "/api/v1/applications",
    ):
        assert recruiter.get(path).status_code == 200, path

    admin = sign_in(web, accounts["admin"], password)
    for path in ("/admin/audit", "/admin/users", "/promotions/", "/api/v1/promotions"):
        assert admin.get(path).status_code == 200, path

    manager = sign_in(web, accounts["hiring_manager"], password)
    for path in (f"/hiring/requisitions/{big}", "/promotions/", "/api/v1/promotions"):
        assert manager.get(path).status_code == 200, path

    busiest = sign_in(web, summary["busiest_interviewer"]["email"], password)
    answer = busiest.get("/hiring/my-interviews")
    assert answer.status_code == 200
    member = sign_in(web, accounts["member"], password)
    assert member.get("/careers/me").status_code == 200


def test_an_application_at_every_stage_and_outcome_opens(
    generated: tuple[str, dict[str, Any]], web: Flask
) -> None:
    """One application of each (stage, status) of the big requisition: its page, its
    candidate's record and the feedback of its interviews, as the recruiter."""
    url, summary = generated
    big = summary["requisitions"]["500"]
    picked = rows(
        url,
        select(func.min(Application.id), Application.stage_id, Application.status)
        .where(Application.requisition_id == big)
        .group_by(Application.stage_id, Application.status),
    )
    assert len(picked) >= 10
    recruiter = sign_in(web, summary["accounts"]["recruiter"], summary["password"])
    for application_id, stage, status in picked:
        for path in (
            f"/hiring/applications/{application_id}",
            f"/hiring/applications/{application_id}/feedback",
        ):
            answer = recruiter.get(path)
            assert answer.status_code == 200, (path, stage, status)
    candidates = rows(
        url,
        select(Application.candidate_id).where(Application.requisition_id == big).limit(20),
    )
    for (candidate_id,) in candidates:
        assert recruiter.get(f"/hiring/candidates/{candidate_id}").status_code == 200


def test_the_same_seed_gives_the_same_rows(
    generated: tuple[str, dict[str, Any]], tmp_path: Path
) -> None:
    url, summary = generated
    again_url = f"sqlite:///{tmp_path / 'again.db'}"
    again = generate(again_url)
    assert again["rows"] == summary["rows"]
    assert again["digest"] == summary["digest"]
    first = select(Candidate.name, Candidate.email).order_by(Candidate.id).limit(20)
    assert rows(again_url, first) == rows(url, first)
    titles = select(Requisition.title).order_by(Requisition.id)
    assert rows(again_url, titles) == rows(url, titles)
