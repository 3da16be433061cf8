"""Permissions matrix entries for the admin's JSON lists (see test_permissions.py): the
users and the audit log, admins only (anonymous 401, every other role 403)."""

from tests.web.test_permissions import expect

MATRIX = {
    ("GET", "api.users"): (lambda f: "/api/v1/users", expect(401, admin=200, default=403)),
    ("GET", "api.audit_log"): (lambda f: "/api/v1/audit", expect(401, admin=200, default=403)),
}
