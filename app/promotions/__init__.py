"""Promotion packets on the web: start, fill in (saved as you go), submit, decide."""
