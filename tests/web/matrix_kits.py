"""Permissions matrix entries for interview kits (see test_permissions.py): admins, the
requisition's hiring manager and its recruiter read and write the kit; anyone else gets a
404 (interviewers read the questions on their scorecards). A POST without an action is a
400."""

from tests.web.test_permissions import expect


def _kit(f) -> str:
    return f"/hiring/requisitions/{f.requisition_id}/kit"


MATRIX = {
    ("GET", "hiring.kit"): (
        _kit,
        expect(302, admin=200, recruiter=200, hiring_manager=200, default=404),
    ),
    ("POST", "hiring.kit"): (
        _kit,
        expect(302, admin=400, recruiter=400, hiring_manager=400, default=404),
    ),
}
