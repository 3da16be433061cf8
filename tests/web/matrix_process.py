"""Permissions matrix entries for the end of the process in the JSON API: the written
assessment by e-mail, the reference check, the offer and the hire (see
test_permissions.py and matrix_api.py: no body, so a role that may call gets 400)."""

from tests.web.test_permissions import expect

# Staff of the requisition may move its applications; nobody else sees them.
MOVE = {"admin": 400, "recruiter": 400, "hiring_manager": 400, "default": 404}


def application(f, action: str) -> str:
    return f"/api/v1/applications/{f.application_id}{action}"


MATRIX = {
    # Recruiters and admins send it (as on the web); the hiring manager sees the
    # application but may not send (403); anyone else does not see it (404).
    ("POST", "api.application_assessment"): (
        lambda f: application(f, "/assessment"),
        expect(401, admin=400, recruiter=400, hiring_manager=403, default=404),
    ),
    ("POST", "api.application_references"): (
        lambda f: application(f, "/references"),
        expect(401, **MOVE),
    ),
    # Retired (offers with terms replace them): 410 for those who see the application.
    ("POST", "api.application_offer"): (
        lambda f: application(f, "/offer"),
        expect(401, admin=410, recruiter=410, hiring_manager=410, default=404),
    ),
    ("POST", "api.application_hire"): (
        lambda f: application(f, "/hire"),
        expect(401, admin=410, recruiter=410, hiring_manager=410, default=404),
    ),
}
