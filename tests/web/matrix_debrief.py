"""Permissions matrix entries for the debrief (see test_permissions.py): the
requisition's hiring manager and admins read and decide, the requisition's recruiter reads
(403 on a change), anyone else gets 404. The fixture's application is not ready for a
debrief, so a page answers 200 (saying so) and a POST with an empty form is a 422; the
API's PUT without a body is a 400."""

from tests.web.test_permissions import expect


def _page(f) -> str:
    return f"/hiring/applications/{f.application_id}/debrief"


def _api(f, what: str) -> str:
    return f"/api/v1/applications/{f.application_id}/{what}"


MATRIX = {
    ("GET", "hiring.debrief_page"): (
        _page,
        expect(302, admin=200, recruiter=200, hiring_manager=200, default=404),
    ),
    ("POST", "hiring.debrief_page"): (
        _page,
        expect(302, admin=422, recruiter=403, hiring_manager=422, default=404),
    ),
    ("GET", "api.application_debrief"): (
        lambda f: _api(f, "debrief"),
        expect(401, admin=200, recruiter=200, hiring_manager=200, default=404),
    ),
    ("PUT", "api.application_decision"): (
        lambda f: _api(f, "decision"),
        expect(401, admin=400, recruiter=403, hiring_manager=400, default=404),
    ),
}
