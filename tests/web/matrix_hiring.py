"""Permissions matrix entries for the hiring pages (see test_permissions.py)."""

from tests.web.test_permissions import expect

# The fixture's requisition has the hiring_manager user as its hiring manager.
HIRING_STAFF = {"admin": 200, "recruiter": 200, "hiring_manager": 200, "default": 403}
RECRUITING = {"admin": 200, "recruiter": 200, "default": 403}
HIRING_STAFF_WITH_INTERVIEWER = {**HIRING_STAFF, "interviewer": 200}

MATRIX = {
    ("GET", "hiring.requisitions"): (lambda f: "/hiring/requisitions", expect(302, **HIRING_STAFF)),
    ("GET", "hiring.requisition_new"): (
        lambda f: "/hiring/requisitions/new",
        expect(302, **RECRUITING),
    ),
    ("POST", "hiring.requisition_new"): (
        lambda f: "/hiring/requisitions/new",
        expect(302, **RECRUITING),
    ),
    ("GET", "hiring.requisition_edit"): (
        lambda f: f"/hiring/requisitions/{f.requisition_id}/edit",
        expect(302, **RECRUITING),
    ),
    ("POST", "hiring.requisition_edit"): (
        lambda f: f"/hiring/requisitions/{f.requisition_id}/edit",
        expect(302, **RECRUITING),
    ),
    ("GET", "hiring.board"): (
        lambda f: f"/hiring/requisitions/{f.requisition_id}",
        expect(302, **HIRING_STAFF),
    ),
    ("GET", "hiring.candidate_new"): (
        lambda f: f"/hiring/requisitions/{f.requisition_id}/candidates/new",
        expect(302, **RECRUITING),
    ),
    ("POST", "hiring.candidate_new"): (
        lambda f: f"/hiring/requisitions/{f.requisition_id}/candidates/new",
        expect(302, **RECRUITING),
    ),
    ("POST", "hiring.candidate_add_existing"): (
        lambda f: f"/hiring/requisitions/{f.requisition_id}/candidates/existing",
        expect(302, admin=400, recruiter=400, default=403),
    ),
    ("GET", "hiring.candidate_cv"): (
        lambda f: f"/hiring/candidates/{f.candidate_id}/cv",
        # The interviewer of the fixture's peer interview may read the CV.
        expect(302, **HIRING_STAFF_WITH_INTERVIEWER),
    ),
    ("GET", "hiring.application"): (
        lambda f: f"/hiring/applications/{f.application_id}",
        expect(302, **HIRING_STAFF),
    ),
    ("POST", "hiring.advance"): (
        lambda f: f"/hiring/applications/{f.application_id}/advance",
        expect(302, admin=302, recruiter=302, hiring_manager=302, default=403),
    ),
    ("POST", "hiring.decline"): (
        lambda f: f"/hiring/applications/{f.application_id}/decline",
        expect(302, admin=302, recruiter=302, hiring_manager=302, default=403),
    ),
    ("POST", "hiring.withdraw"): (
        lambda f: f"/hiring/applications/{f.application_id}/withdraw",
        expect(302, admin=302, recruiter=302, hiring_manager=302, default=403),
    ),
    ("POST", "hiring.screen"): (
        lambda f: f"/hiring/applications/{f.application_id}/screen",
        expect(302, admin=302, recruiter=302, default=403),
    ),
}

MATRIX.update(
    {
        ("POST", "hiring.references"): (
            lambda f: f"/hiring/applications/{f.application_id}/references",
            expect(302, admin=302, recruiter=302, hiring_manager=302, default=403),
        ),
    }
)
