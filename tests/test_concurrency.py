"""Two people act on the same application at the same moment: one wins, one is told."""

from __future__ import annotations

import threading

from flask_migrate import upgrade
from sqlalchemy import func, select

from app import create_app
from app.extensions import db
from app.models import Application, Role, StageTransition, User
from app.services import accounts, hiring
from app.services.errors import ConflictError

PASSWORD = "correct horse battery staple"


def test_two_users_advancing_at_once(fresh_database_url, tmp_path):
    app = create_app(
        {
            "HIRELADDER_ENV": "testing",
            "SECRET_KEY": "x",
            "SQLALCHEMY_DATABASE_URI": fresh_database_url,
            "CV_STORAGE_DIR": tmp_path / "cv",
        }
    )
    with app.app_context():
        upgrade()
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
