"""Permissions matrix entries for one's own notifications and time zone (see
test_permissions.py): every signed-in person, for their own account only (there is no
one else's to name). Requests carry no form or body: the page refuses a POST without a
version (400); the API refuses a PUT that is not a JSON object (400)."""

from tests.web.test_permissions import expect

MATRIX = {
    ("GET", "auth.notifications"): (
        lambda f: "/account/notifications",
        expect(302, default=200),
    ),
    ("POST", "auth.notifications_save"): (
        lambda f: "/account/notifications",
        expect(302, default=400),
    ),
    ("GET", "api.my_preferences"): (
        lambda f: "/api/v1/me/preferences",
        expect(401, default=200),
    ),
    ("PUT", "api.my_preferences_update"): (
        lambda f: "/api/v1/me/preferences",
        expect(401, default=400),
    ),
}
