"""Permissions matrix entries for printable documents (see test_permissions.py).

Every signed-in user may download any role description; anonymous callers get 401.
"""

from tests.web.test_permissions import expect

MATRIX = {
    ("GET", "api.level_description_pdf"): (
        lambda f: "/api/v1/ladder/levels/staff-csm/description.pdf",
        expect(401, default=200),
    ),
}
