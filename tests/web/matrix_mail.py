"""Permissions matrix entries for the admin Mail pages (see test_permissions.py).

Admins only: every other role gets 403 from the role check, before any message is looked
up. The matrix's fixture has no message, so the message routes name one that does not
exist (an admin gets 404); test_mail_admin.py checks them on real messages, for every role.
"""

from tests.web.test_permissions import ADMIN_ONLY, expect

NO_MESSAGE = "/admin/mail/999999"

MATRIX = {
    ("GET", "admin.mail"): (lambda f: "/admin/mail", expect(302, **ADMIN_ONLY)),
    ("GET", "admin.mail_templates"): (lambda f: "/admin/mail/templates", expect(302, **ADMIN_ONLY)),
    ("GET", "admin.mail_message"): (lambda f: NO_MESSAGE, expect(302, admin=404, default=403)),
    ("GET", "admin.mail_message_html"): (
        lambda f: f"{NO_MESSAGE}/html",
        expect(302, admin=404, default=403),
    ),
    ("GET", "admin.mail_attachment"): (
        lambda f: f"{NO_MESSAGE}/attachments/999999",
        expect(302, admin=404, default=403),
    ),
    ("POST", "admin.mail_retry"): (
        lambda f: f"{NO_MESSAGE}/retry",
        expect(302, admin=404, default=403),
    ),
}
