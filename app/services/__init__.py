"""Services: the only code that mutates the database and commits."""
