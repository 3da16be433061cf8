"""``Cache-Control: no-store`` on everything that may hold personal data.

Before, only HTML pages had it: API JSON (errors included), CV downloads (``no-cache``)
and packet PDFs (``private, no-cache``) could be kept by the browser or a proxy.
"""

from __future__ import annotations

from flask import Flask

from app.db import db
from app.models import User
from app.services import api_tokens
from tests.conftest import login_as

API = "/api/v1"


def bearer(app: Flask, user_id: int) -> dict[str, str]:
    with app.app_context():
        user = db.session.get(User, user_id)
        assert user is not None
        _token, raw = api_tokens.issue(user, actor=None)
    return {"Authorization": f"Bearer {raw}"}


def test_personal_data_is_never_cached(app, client, users, hiring_objects, promotion_objects):
    headers = bearer(app, users["admin"])
    login_as(app, client, users["admin"])
    answers = {
        "api json": client.get(f"{API}/candidates", headers=headers),
        "api detail": client.get(
            f"{API}/applications/{hiring_objects['application_id']}", headers=headers
        ),
        "api error": client.get(f"{API}/applications/999999", headers=headers),
        "api 401": client.get(f"{API}/candidates"),
        "cv": client.get(f"/hiring/candidates/{hiring_objects['candidate_id']}/cv"),
        "packet pdf": client.get(
            f"{API}/promotions/{promotion_objects['submitted_packet_id']}/document.pdf",
            headers=headers,
        ),
        "calendar": client.get(f"/hiring/interviews/{hiring_objects['interview_id']}/invite.ics"),
        "page": client.get(f"/hiring/applications/{hiring_objects['application_id']}"),
    }
    for name, response in answers.items():
        assert response.headers.get("Cache-Control") == "no-store", name
        response.close()
    assert answers["cv"].status_code == 200
    assert answers["packet pdf"].status_code == 200


def test_public_ladder_documents_and_static_files_keep_their_own_caching(app, client, users):
    headers = bearer(app, users["team_member"])
    pdf = client.get(f"{API}/ladder/levels/csm/description.pdf", headers=headers)
    assert pdf.status_code == 200
    assert "no-store" not in pdf.headers["Cache-Control"]
    pdf.close()
    css = client.get("/static/app.css")
    assert css.status_code == 200
    assert "no-store" not in css.headers.get("Cache-Control", "")
    css.close()


def test_the_promotion_autosave_json_is_not_cached(app, client, users, promotion_objects):
    login_as(app, client, users["hiring_manager"])
    packet_id = promotion_objects["draft_packet_id"]
    key = promotion_objects["draft_section_key"]
    response = client.post(
        f"/promotions/{packet_id}/sections/{key}", data={"evidence": "Text.", "version": "1"}
    )
    assert response.mimetype == "application/json"
    assert response.headers["Cache-Control"] == "no-store"
