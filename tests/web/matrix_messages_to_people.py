"""Permissions matrix entries for the pages that send messages to candidates and people
(see test_permissions.py): the written assessment by e-mail, the decline message, and the
"forgot your password" form."""

from tests.web.test_permissions import expect

MATRIX = {
    # The fixture's application is at the recruiter screen: nothing to send yet, so the
    # recruiters are sent back to the application page with the reason.
    ("GET", "hiring.assessment_email"): (
        lambda f: f"/hiring/applications/{f.application_id}/assessment/email",
        expect(302, admin=302, recruiter=302, default=403),
    ),
    # No version posted: the form is refused with a message on the application page.
    ("POST", "hiring.assessment_email_send"): (
        lambda f: f"/hiring/applications/{f.application_id}/assessment/email",
        expect(302, admin=302, recruiter=302, default=403),
    ),
    # Staff of the requisition who may move its applications (the fixture's hiring
    # manager owns it).
    ("GET", "hiring.decline_message"): (
        lambda f: f"/hiring/applications/{f.application_id}/decline/message",
        expect(302, admin=200, recruiter=200, hiring_manager=200, default=403),
    ),
    # Nothing posted: the compose page comes back with what is missing.
    ("POST", "hiring.decline_message"): (
        lambda f: f"/hiring/applications/{f.application_id}/decline/message",
        expect(302, admin=422, recruiter=422, hiring_manager=422, default=403),
    ),
    # Public by design (for people who cannot sign in); signed-in people go to their
    # account page.
    ("GET", "auth.forgot_password"): (lambda f: "/login/forgot", expect(200, default=302)),
    # Nothing posted: the form comes back with what is missing.
    ("POST", "auth.forgot_password"): (lambda f: "/login/forgot", expect(422, default=302)),
}
