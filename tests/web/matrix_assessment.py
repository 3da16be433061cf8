"""Permissions matrix entries for the written assessment (see test_permissions.py).

The candidate's page needs no account: with a token nobody was sent, every visitor gets 404.
"""

from tests.web.test_permissions import expect

UNKNOWN_TOKEN = "not-a-token-anyone-was-sent"

MATRIX = {
    ("GET", "assessment.answer"): (
        lambda f: f"/assessment/{UNKNOWN_TOKEN}",
        expect(404, default=404),
    ),
    ("POST", "assessment.answer"): (
        lambda f: f"/assessment/{UNKNOWN_TOKEN}",
        expect(404, default=404),
    ),
    ("POST", "hiring.send_assessment"): (
        lambda f: f"/hiring/applications/{f.application_id}/assessment",
        expect(302, admin=302, recruiter=302, default=403),
    ),
}
