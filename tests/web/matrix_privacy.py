"""Permissions matrix entries for a candidate's data: export, erasure, consent (see
test_permissions.py).

Recruiters and admins only; every other role gets 404, like an id that names nothing.
Requests carry no body: the pages' POSTs answer 422 (erase: the box is not ticked) or
redirect with the form's errors (consent); the API's POSTs 400 (no JSON object). Nothing
is erased by the matrix.
"""

from tests.web.test_permissions import expect


def candidate(f, action: str) -> str:
    return f"/hiring/candidates/{f.candidate_id}/{action}"


def api_candidate(f, action: str) -> str:
    return f"/api/v1/candidates/{f.candidate_id}/{action}"


MATRIX = {
    ("GET", "hiring.candidate_export"): (
        lambda f: candidate(f, "export"),
        expect(302, admin=200, recruiter=200, default=404),
    ),
    ("GET", "hiring.candidate_erase"): (
        lambda f: candidate(f, "erase"),
        expect(302, admin=200, recruiter=200, default=404),
    ),
    ("POST", "hiring.candidate_erase"): (
        lambda f: candidate(f, "erase"),
        expect(302, admin=422, recruiter=422, default=404),
    ),
    ("POST", "hiring.candidate_consent"): (
        lambda f: candidate(f, "consent"),
        expect(302, admin=302, recruiter=302, default=404),
    ),
    ("GET", "api.candidate_export"): (
        lambda f: api_candidate(f, "export"),
        expect(401, admin=200, recruiter=200, default=404),
    ),
    ("POST", "api.candidate_erase"): (
        lambda f: api_candidate(f, "erase"),
        expect(401, admin=400, recruiter=400, default=404),
    ),
    ("POST", "api.candidate_consent"): (
        lambda f: api_candidate(f, "consent"),
        expect(401, admin=400, recruiter=400, default=404),
    ),
}
