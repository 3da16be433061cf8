"""Hiring pipelines derived from the ladder: stage plans, application states, scorecards."""
