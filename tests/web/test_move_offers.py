"""Advance buttons are offered only where the move can succeed for this user now; else the
button is disabled and says which rule refuses it (and the move still works for whoever
may make it)."""

from __future__ import annotations

from app.db import db
from app.models import Application, Requisition
from app.services import hiring
from tests.conftest import login_as


def _executive(app, hiring_objects) -> tuple[str, str]:
    """Put the application at the last interview before the reference check; return that
    stage's id and the reference check's."""
    with app.app_context():
        requisition = db.session.get(Requisition, hiring_objects["requisition_id"])
        plan = hiring.plan_for(requisition)
        before = plan.stages[plan.references.position - 1]
        application = db.session.get(Application, hiring_objects["application_id"])
        application.stage_id = before.id
        db.session.commit()
        return before.id, plan.references.id


def _version(app, application_id):
    with app.app_context():
        return db.session.get(Application, application_id).version


def test_the_recruiter_is_not_offered_a_move_only_the_hiring_manager_may_make(
    app, client, users, hiring_objects
):
    app_id = hiring_objects["application_id"]
    _stage, references = _executive(app, hiring_objects)
    login_as(app, client, users["recruiter"])
    board = client.get(f"/hiring/requisitions/{hiring_objects['requisition_id']}").text
    assert f'/{app_id}/advance"' not in board  # no form that can only fail
    assert f'disabled aria-describedby="why-not-{app_id}">Advance</button>' in board
    assert "only the hiring manager can move an application to Reference" in board
    page = client.get(f"/hiring/applications/{app_id}").text
    assert f"/hiring/applications/{app_id}/advance" not in page
    assert 'disabled aria-describedby="advance-why-not">Advance</button>' in page
    # The hiring manager is offered it (with the override the uncleared stage needs)...
    login_as(app, client, users["hiring_manager"])
    board = client.get(f"/hiring/requisitions/{hiring_objects['requisition_id']}").text
    assert "Override it on the application page" in board
    page = client.get(f"/hiring/applications/{app_id}").text
    assert f"/hiring/applications/{app_id}/advance" in page
    assert 'name="override_reason"' in page
    # ... and the move works.
    moved = client.post(
        f"/hiring/applications/{app_id}/advance",
        data={"version": _version(app, app_id), "override_reason": "Seen at the offsite."},
    )
    assert moved.status_code in (302, 303)
    with app.app_context():
        assert db.session.get(Application, app_id).stage_id == references


def test_a_move_that_can_succeed_is_offered_and_works(app, client, users, hiring_objects):
    app_id = hiring_objects["application_id"]
    login_as(app, client, users["recruiter"])
    board_url = f"/hiring/requisitions/{hiring_objects['requisition_id']}"
    # The screen is not recorded yet: the reason is shown instead of a button that fails.
    board = client.get(board_url).text
    assert f'/{app_id}/advance"' not in board
    assert "the screen outcome is not recorded yet" in board
    client.post(
        f"/hiring/applications/{app_id}/screen",
        data={"version": _version(app, app_id), "outcome": "passed"},
    )
    board = client.get(board_url).text
    assert f'/{app_id}/advance"' in board and f"why-not-{app_id}" not in board
    moved = client.post(
        f"/hiring/applications/{app_id}/advance",
        data={"version": _version(app, app_id), "back": "board"},
        follow_redirects=True,
    )
    assert "moved to Written Assessment" in moved.text
