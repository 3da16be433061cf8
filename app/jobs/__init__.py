"""The public careers site: published job postings generated from the ladder, the
application form for candidates without an account, and the public jobs API."""
