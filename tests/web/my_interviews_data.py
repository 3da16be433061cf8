"""Interviews of one person in every section of "My interviews", written straight into
the tables (the services would send invitations and reminders for each)."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime, timedelta

from app.db import db
from app.ladder_access import get_ladder
from app.models import Interview, InterviewInterviewer, Requisition, Scorecard, User
from app.services import hiring
from pipelines.my_interviews import Section

#: The clock of these tests: Thursday 3 December 2026, noon UTC.
NOW = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)

#: The order sections take turns in, so that any count has some of each.
TURNS = (Section.TO_SCORE, Section.UPCOMING, Section.SUBMITTED, Section.CANCELLED)


def add_interviews(
    app, users, requisition_id: int, user_key: str, count: int, *, tag: str = ""
) -> dict[Section, list[int]]:
    """``count`` interviews of ``users[user_key]``, taking the sections in turns; every
    seventh scorecard to write has no time yet. Returns the ids per section."""
    made: dict[Section, list[int]] = defaultdict(list)
    with app.app_context():
        recruiter = db.session.get(User, users["recruiter"])
        requisition = db.session.get(Requisition, requisition_id)
        version = get_ladder().version
        for i in range(count):
            section = TURNS[i % len(TURNS)]
            candidate = hiring.add_candidate(
                hiring.CandidateDetails(
                    name=f"Cand {tag}{i}", email=f"cand-{user_key}-{tag}{i}@example.org"
                ),
                actor=recruiter,
            )
            application = hiring.open_application(candidate, requisition, actor=recruiter)
            hours = timedelta(hours=5 * i + 1)
            starts = NOW + hours if section is Section.UPCOMING else NOW - hours
            if section is Section.TO_SCORE and i % 7 == 0:
                starts = None
            interview = Interview(
                application_id=application.id,
                stage_id="peer-interview",
                starts_at=starts,
                duration_minutes=45,
                cancelled_at=NOW - hours if section is Section.CANCELLED else None,
            )
            db.session.add(interview)
            db.session.flush()
            db.session.add(InterviewInterviewer(interview_id=interview.id, user_id=users[user_key]))
            if section is Section.SUBMITTED:
                db.session.add(
                    Scorecard(
                        interview_id=interview.id,
                        interviewer_id=users[user_key],
                        ratings={},
                        recommendation="yes",
                        notes="Fine.",
                        submitted_at=NOW - hours / 2,
                        ladder_version=version,
                    )
                )
            elif section is Section.TO_SCORE and i % 3 == 0:
                # A draft: still to write.
                db.session.add(
                    Scorecard(
                        interview_id=interview.id,
                        interviewer_id=users[user_key],
                        ratings={},
                        ladder_version=version,
                    )
                )
            made[section].append(interview.id)
        db.session.commit()
    return made
