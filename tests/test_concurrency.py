"""Two people act on the same application at the same moment: one wins, one is told."""

from __future__ import annotations

import threading
from pathlib import Path

from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import func, select

from app import create_app
from app.db import db
from app.models import (
    Application,
    Candidate,
    PromotionSection,
    Requisition,
    Role,
    StageTransition,
    User,
)
from app.services import accounts, api_tokens, hiring, promotions
from app.services.errors import ConflictError

PASSWORD = "correct horse battery staple"


def _migrated_app(database_url: str, tmp_path: Path) -> Flask:
    """An app on a database of its own, built by the migrations: real commits, seen by
    every connection."""
    app = create_app(
        {
            "HIRELADDER_ENV": "testing",
            "SECRET_KEY": "x",
            "SQLALCHEMY_DATABASE_URI": database_url,
            "CV_STORAGE_DIR": tmp_path / "cv",
        }
    )
    with app.app_context():
        upgrade()
    return app


def _requisition_with_a_candidate() -> tuple[User, User, Requisition, Candidate]:
    """A recruiter, a hiring manager, an open CSM requisition and a candidate for it."""
    recruiter = accounts.create_user(
        "rita@example.org", "Rita", PASSWORD, [Role.RECRUITER], actor=None
    )
    manager = accounts.create_user(
        "hank@example.org", "Hank", PASSWORD, [Role.HIRING_MANAGER], actor=None
    )
    requisition = hiring.create_requisition(
        title="CSM",
        level_id="csm",
        specialty_id=None,
        hiring_manager=manager,
        recruiter=recruiter,
        headcount=1,
        actor=recruiter,
    )
    candidate = hiring.add_candidate(
        hiring.CandidateDetails(name="Casey", email="casey@example.org"), actor=recruiter
    )
    return recruiter, manager, requisition, candidate


def test_two_users_advancing_at_once(fresh_database_url, tmp_path):
    app = _migrated_app(fresh_database_url, tmp_path)
    with app.app_context():
        recruiter, manager, requisition, candidate = _requisition_with_a_candidate()
        application = hiring.open_application(candidate, requisition, actor=recruiter)
        hiring.record_screen_outcome(
            application, passed=True, actor=recruiter, expected_version=None
        )
        ids = {"application": application.id, "users": [recruiter.id, manager.id]}
        version = application.version

    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def advance(user_id: int) -> None:
        with app.app_context():
            application = db.session.get(Application, ids["application"])
            user = db.session.get(User, user_id)
            assert application is not None and user is not None
            barrier.wait(timeout=10)
            try:
                hiring.advance_application(application, actor=user, expected_version=version)
            except ConflictError as exc:
                outcomes.append("conflict: " + str(exc))
            except Exception as exc:
                outcomes.append(f"error: {exc!r}")
            else:
                outcomes.append("advanced")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=advance, args=(uid,)) for uid in ids["users"]]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(o.split(":")[0] for o in outcomes) == ["advanced", "conflict"], outcomes
    assert "changed by someone else" in next(o for o in outcomes if o.startswith("conflict"))
    with app.app_context():
        application = db.session.get(Application, ids["application"])
        assert application.stage_id == "written-assessment"
        advances = db.session.scalar(
            select(func.count())
            .select_from(StageTransition)
            .where(
                StageTransition.application_id == application.id,
                StageTransition.action == "advance",
            )
        )
        assert advances == 1  # no lost update, no double move
        db.session.remove()
        db.engine.dispose()


def _promotion_app(fresh_database_url, tmp_path):
    app = _migrated_app(fresh_database_url, tmp_path)
    with app.app_context():
        manager = accounts.create_user(
            "mona@example.org", "Mona", PASSWORD, [Role.TEAM_MEMBER], actor=None
        )
        person = accounts.create_user(
            "pat@example.org", "Pat", PASSWORD, [Role.TEAM_MEMBER], actor=None
        )
        person.level_id, person.manager_id = "csm", manager.id
        db.session.commit()
        packet = promotions.start_packet(manager, person, "senior-csm")
        view = promotions.load_packet(manager, packet.id)
        sections = [(s.key, s.version) for s in view.packet.sections[:2]]
        ids = {"packet": packet.id, "manager": manager.id, "sections": sections}
        db.session.remove()
    return app, ids


def _save_at_once(app, ids, edits_per_thread):
    barrier = threading.Barrier(len(edits_per_thread))
    outcomes: list[str] = []

    def save(edits) -> None:
        with app.app_context():
            manager = db.session.get(User, ids["manager"])
            barrier.wait(timeout=10)
            try:
                promotions.save_sections_of(manager, ids["packet"], edits)
            except promotions.SectionConflictError:
                outcomes.append("conflict")
            except Exception as exc:
                outcomes.append(f"error: {exc!r}")
            else:
                outcomes.append("saved")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=save, args=(edits,)) for edits in edits_per_thread]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


def _evidence(app, packet_id):
    with app.app_context():
        rows = db.session.execute(
            select(PromotionSection.key, PromotionSection.evidence).where(
                PromotionSection.packet_id == packet_id
            )
        ).all()
        db.session.remove()
        db.engine.dispose()
        return dict(rows)


def test_two_editors_of_different_sections_at_once_both_save(fresh_database_url, tmp_path):
    app, ids = _promotion_app(fresh_database_url, tmp_path)
    (a, a_version), (b, b_version) = ids["sections"]
    outcomes = _save_at_once(
        app,
        ids,
        [{a: ("From the first editor", a_version)}, {b: ("From the second editor", b_version)}],
    )
    assert outcomes == ["saved", "saved"], outcomes
    evidence = _evidence(app, ids["packet"])
    assert evidence[a] == "From the first editor"
    assert evidence[b] == "From the second editor"


def test_two_editors_of_one_section_at_once_one_is_told(fresh_database_url, tmp_path):
    app, ids = _promotion_app(fresh_database_url, tmp_path)
    (a, a_version), _ = ids["sections"]
    outcomes = _save_at_once(app, ids, [{a: ("First", a_version)}, {a: ("Second", a_version)}])
    assert sorted(outcomes) == ["conflict", "saved"], outcomes
    assert _evidence(app, ids["packet"])[a] in ("First", "Second")


def test_one_api_token_used_twice_at_once_serves_both(fresh_database_url, tmp_path):
    app = _migrated_app(fresh_database_url, tmp_path)
    with app.app_context():
        user = accounts.create_user("tia@example.org", "Tia", PASSWORD, [Role.ADMIN], actor=None)
        _token, raw = api_tokens.issue(user, actor=None)
        user_id = user.id
        db.session.remove()
    barrier = threading.Barrier(2)
    outcomes: list[object] = []

    def use() -> None:
        with app.app_context():
            barrier.wait(timeout=10)
            try:
                found = api_tokens.load_user(raw)
                outcomes.append(found.id if found is not None else None)
            except Exception as exc:
                outcomes.append(f"error: {exc!r}")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=use) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert outcomes == [user_id, user_id], outcomes
    with app.app_context():
        db.engine.dispose()


def test_parallel_wrong_passwords_get_exactly_the_limit_of_checks(fresh_database_url, tmp_path):
    """24 wrong passwords at once from one address: exactly the limit are checked, the rest
    refused unchecked. The counter is one atomic upsert, so none can slip past it."""
    from app.models import AuditEvent
    from app.services import sign_in

    app = _migrated_app(fresh_database_url, tmp_path)
    with app.app_context():
        accounts.create_user("ada@example.org", "Ada", PASSWORD, [Role.RECRUITER], actor=None)
        db.session.remove()
    limit = app.config["LOGIN_THROTTLE_ACCOUNT_LIMIT"]
    barrier = threading.Barrier(24)
    errors: list[str] = []

    def attempt(i: int) -> None:
        with app.app_context():
            try:
                barrier.wait(timeout=20)
                sign_in.sign_in("ada@example.org", f"wrong guess {i}", address="10.3.3.3")
            except Exception as exc:
                errors.append(repr(exc))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(24)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    with app.app_context():
        actions = list(
            db.session.scalars(
                select(AuditEvent.action).where(AuditEvent.action.like("auth.sign_in%"))
            )
        )
        db.session.remove()
        db.engine.dispose()
    assert actions.count("auth.sign_in_failed") == limit
    assert actions.count("auth.sign_in_throttled") == 24 - limit


def test_four_identical_applications_at_once_make_one_and_three_409s(fresh_database_url, tmp_path):
    """The unique constraint (PostgreSQL) or SQLite's refused stale write decides; the
    losers hear 409 naming the application that was made."""
    app = _migrated_app(fresh_database_url, tmp_path)
    with app.app_context():
        recruiter, _manager, requisition, candidate = _requisition_with_a_candidate()
        body = {"candidate_id": candidate.id, "requisition_id": requisition.id}
        _token, raw = api_tokens.issue(recruiter, actor=None)
        db.session.remove()

    barrier = threading.Barrier(4)
    answers: list[tuple[int, dict]] = []

    def post() -> None:
        client = app.test_client()
        barrier.wait(timeout=10)
        try:
            response = client.post(
                "/api/v1/applications", json=body, headers={"Authorization": f"Bearer {raw}"}
            )
            answers.append((response.status_code, response.get_json() or {}))
        except Exception as exc:
            answers.append((-1, {"exception": repr(exc)}))

    threads = [threading.Thread(target=post) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    statuses = sorted(status for status, _ in answers)
    assert statuses == [201, 409, 409, 409], answers
    created_id = next(json["id"] for status, json in answers if status == 201)
    for status, json in answers:
        if status == 409:
            assert json["error"]["existing_id"] == created_id, json
            assert f"application {created_id}" in json["error"]["detail"]
    with app.app_context():
        count = db.session.scalar(select(func.count()).select_from(Application))
        assert count == 1
        db.session.remove()
        db.engine.dispose()
