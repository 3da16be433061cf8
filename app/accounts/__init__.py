"""Accounts and administration: signing in, one's own account, users and their roles,
places on the ladder, API tokens, the audit log, and ``flask users``."""
