"""Hiring: requisitions, candidates and their CVs, the pipeline board, applications and
their moves, interviews and scorecards, the written assessment (the recruiter's side and
the candidate's page), and their JSON API."""
