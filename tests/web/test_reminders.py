"""Scorecard reminders, the recruiters' overdue list and the daily digest, with time
passed in (no sleeping).

The ``hiring_objects`` peer interview starts on Tuesday 1 December 2026 at 15:00 UTC and
lasts 30 minutes: its scorecard (``users["interviewer"]``'s) is due on Wednesday 2
December at 15:30 UTC.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import selectinload

from app.db import db
from app.models import Application, Interview, OutboxMessage, Requisition, User
from app.notifications import worker
from app.services import accounts, hiring, interviews, outbox, reminders
from pipelines.outbox import MessageStatus


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


DUE = utc(2026, 12, 2, 15, 30)


#: What the fixtures send before a test starts: invitations to the interviewers they schedule.
FIXTURES_SEND = ("interview_invitation",)


def messages(kind: str | None = None, user_id: int | None = None) -> list[OutboxMessage]:
    """The messages of ``kind`` (to ``user_id``), else all but the fixtures' invitations."""
    query = select(OutboxMessage).order_by(OutboxMessage.id)
    if kind is not None:
        query = query.where(OutboxMessage.kind == kind)
    else:
        query = query.where(OutboxMessage.kind.not_in(FIXTURES_SEND))
    if user_id is not None:
        query = query.where(OutboxMessage.user_id == user_id)
    return list(db.session.scalars(query))


def set_zone(user_id: int, zone: str | None) -> None:
    user = db.session.get(User, user_id)
    user.timezone = zone
    db.session.commit()


def not_invitations(received: list) -> list:
    """Mail received, less the invitations the fixtures' scheduling sent."""
    return [r for r in received if not r.attachments()]


def set_delivery(user_id: int, **choices: str) -> None:
    user = db.session.get(User, user_id)
    user.notification_preferences = dict(choices)
    db.session.commit()


def hourly(start: datetime, end: datetime):
    moment = start
    while moment <= end:
        yield moment
        moment += timedelta(hours=1)


def another_application(
    users: dict[str, int],
    requisition_id: int,
    name: str,
    starts_at: datetime,
    interviewer_id: int | None = None,
) -> int:
    """A further candidate for the requisition, with a peer interview; its id."""
    recruiter = db.session.get(User, users["recruiter"])
    requisition = db.session.get(Requisition, requisition_id)
    candidate = hiring.add_candidate(
        hiring.CandidateDetails(name=name, email=f"{name.lower().replace(' ', '.')}@example.org"),
        actor=recruiter,
    )
    application = hiring.open_application(candidate, requisition, actor=recruiter)
    interview = interviews.schedule_interview(
        application,
        stage_id="peer-interview",
        interviewers=[db.session.get(User, interviewer_id or users["interviewer"])],
        starts_at=starts_at,
        location=None,
        actor=recruiter,
    )
    return interview.id


# --- scorecard reminders --------------------------------------------------------------


def test_no_reminder_until_one_working_day_after_the_interview(app, users, hiring_objects):
    with app.app_context():
        assert reminders.send_scorecard_reminders(DUE) == 0
        assert reminders.overdue_scorecards(DUE) == []
        assert reminders.send_scorecard_reminders(DUE + timedelta(minutes=30)) == 1
        [reminder] = messages("scorecard_reminder")
        assert reminder.user_id == users["interviewer"]
        assert reminder.to_address == "interviewer@example.org"
        assert (reminder.object_type, reminder.object_id) == (
            "interview",
            hiring_objects["interview_id"],
        )
        assert reminder.status is MessageStatus.QUEUED
        assert reminder.subject == (
            "Scorecard overdue: Casey Candidate, Peer Interview (Senior CSM, EMEA)"
        )
        text = reminder.text_body
        assert "overdue by less than an hour" in text
        assert "Interview: Tue 1 Dec 2026, 15:00 UTC" in text
        assert "Was due:   Wed 2 Dec 2026, 15:30 UTC" in text
        assert f"/hiring/interviews/{hiring_objects['interview_id']}/scorecard" in text
        assert f"/hiring/interviews/{hiring_objects['interview_id']}/scorecard" in (
            reminder.html_body
        )


def test_one_reminder_a_day_however_often_the_job_runs(app, users, hiring_objects):
    with app.app_context():
        sent_at = []
        # Every hour from Wednesday noon to Friday midnight (UTC).
        for now in hourly(utc(2026, 12, 2, 12, 0), utc(2026, 12, 5, 0, 0)):
            if reminders.send_scorecard_reminders(now):
                sent_at.append(now)
        assert sent_at == [
            utc(2026, 12, 2, 16, 0),  # overdue since 15:30
            utc(2026, 12, 3, 8, 0),  # Thursday, from 08:00
            utc(2026, 12, 4, 8, 0),  # Friday
        ]
        keys = [m.dedupe_key for m in messages("scorecard_reminder")]
        interview, interviewer = hiring_objects["interview_id"], users["interviewer"]
        assert keys == [
            f"scorecard-reminder:{interview}:{interviewer}:2026-12-02",
            f"scorecard-reminder:{interview}:{interviewer}:2026-12-03",
            f"scorecard-reminder:{interview}:{interviewer}:2026-12-04",
        ]


def test_an_interview_on_friday_is_due_on_monday_and_the_weekend_is_quiet(
    app, users, hiring_objects
):
    with app.app_context():
        friday = another_application(
            users, hiring_objects["requisition_id"], "Fran Friday", utc(2026, 12, 4, 15, 0)
        )
        # Only the Friday interview: the fixture's is called off.
        db.session.get(Interview, hiring_objects["interview_id"]).cancelled_at = utc(2026, 12, 1)
        db.session.commit()
        sent_at = []
        for now in hourly(utc(2026, 12, 4, 16, 0), utc(2026, 12, 8, 12, 0)):
            if reminders.send_scorecard_reminders(now):
                sent_at.append(now)
        # Due Monday 7 December at 15:30 UTC; nothing on Saturday or Sunday.
        assert sent_at == [utc(2026, 12, 7, 16, 0), utc(2026, 12, 8, 8, 0)]
        assert {m.object_id for m in messages("scorecard_reminder")} == {friday}


def test_reminders_follow_the_interviewers_own_weekend(app, users, hiring_objects):
    """Friday 16:00 UTC is already Saturday in Tokyo; Sunday 23:00 UTC is Monday 08:00
    there."""
    with app.app_context():
        thursday = another_application(
            users, hiring_objects["requisition_id"], "Theo Thursday", utc(2026, 12, 3, 15, 0)
        )
        set_zone(users["interviewer"], "Asia/Tokyo")
        db.session.get(Interview, hiring_objects["interview_id"]).cancelled_at = utc(2026, 12, 1)
        db.session.commit()
        sent_at = []
        for now in hourly(utc(2026, 12, 4, 15, 0), utc(2026, 12, 7, 12, 0)):
            if reminders.send_scorecard_reminders(now):
                sent_at.append(now)
        # Due Friday 4 December at 15:30 UTC = 00:30 Saturday in Tokyo.
        assert sent_at == [utc(2026, 12, 6, 23, 0)]
        [reminder] = messages("scorecard_reminder")
        assert reminder.object_id == thursday
        assert reminder.dedupe_key.endswith(":2026-12-07")
        # Written on the interviewer's clock.
        assert "Interview: Fri 4 Dec 2026, 00:00 JST" in reminder.text_body
        assert "Was due:   Sat 5 Dec 2026, 00:30 JST" in reminder.text_body


def test_two_workers_every_hour_send_one_reminder_a_day(app, users, hiring_objects):
    with app.app_context():
        runs = []
        for now in hourly(utc(2026, 12, 2, 12, 0), utc(2026, 12, 3, 12, 0)):
            for name in ("w1", "w2"):
                report = worker.run_once(app, worker=name, now=lambda now=now: now)
                runs += [(name, job) for job, _ in report.jobs if job == "scorecard_reminders"]
        reminders_sent = messages("scorecard_reminder")
        assert [m.dedupe_key.rsplit(":", 1)[1] for m in reminders_sent] == [
            "2026-12-02",
            "2026-12-03",
        ]
        # Each hour's run was made by one worker only.
        assert len(runs) == 25
        assert all(m.status is MessageStatus.KEPT for m in reminders_sent)


@pytest.mark.parametrize("change", ["submitted", "cancelled", "declined", "withdrawn", "inactive"])
def test_nothing_is_owed(app, users, hiring_objects, change):
    with app.app_context():
        interview = db.session.get(Interview, hiring_objects["interview_id"])
        application = db.session.get(Application, hiring_objects["application_id"])
        recruiter = db.session.get(User, users["recruiter"])
        interviewer = db.session.get(User, users["interviewer"])
        if change == "submitted":
            criteria = interviews.criteria_of(interview, application)
            interviews.save_scorecard(
                interview,
                application,
                interviewer=interviewer,
                ratings={c.id: "yes" for c in criteria},
                recommendation="yes",
                notes="Solid.",
                submit=True,
                expected_version=None,
            )
        elif change == "cancelled":
            interview.cancelled_at = utc(2026, 12, 1, 9, 0)
            db.session.commit()
        elif change == "declined":
            hiring.decline_application(
                application, actor=recruiter, reason_code="skills", note=None, expected_version=None
            )
        elif change == "withdrawn":
            hiring.withdraw_application(
                application, actor=recruiter, reason=None, expected_version=None
            )
        else:
            accounts.set_active(interviewer, False, actor=None, channel="system")
        now = utc(2026, 12, 3, 9, 0)
        assert reminders.overdue_scorecards(now) == []
        assert reminders.send_scorecard_reminders(now) == 0
        assert reminders.send_overdue_digests(now) == 0
        assert messages("scorecard_reminder") == messages("overdue_digest") == []


def test_a_draft_scorecard_is_still_owed(app, users, hiring_objects):
    with app.app_context():
        interviews.save_scorecard(
            db.session.get(Interview, hiring_objects["interview_id"]),
            db.session.get(Application, hiring_objects["application_id"]),
            interviewer=db.session.get(User, users["interviewer"]),
            ratings={},
            recommendation=None,
            notes="Half written.",
            submit=False,
            expected_version=None,
        )
        assert reminders.send_scorecard_reminders(utc(2026, 12, 3, 9, 0)) == 1


def test_each_interviewer_of_a_panel_is_reminded_of_their_own(
    app, users, make_user, hiring_objects
):
    from app.models import Role

    with app.app_context():
        second = make_user("second.interviewer@example.org", (Role.INTERVIEWER,))
        interview = db.session.get(Interview, hiring_objects["interview_id"])
        application = db.session.get(Application, hiring_objects["application_id"])
        interviews.schedule_interview(
            application,
            stage_id="peer-interview",
            interviewers=[db.session.get(User, users["interviewer"]), db.session.get(User, second)],
            starts_at=interview.starts_at,
            location=None,
            actor=db.session.get(User, users["recruiter"]),
        )
        criteria = interviews.criteria_of(interview, application)
        interviews.save_scorecard(
            interview,
            application,
            interviewer=db.session.get(User, second),
            ratings={c.id: "yes" for c in criteria},
            recommendation="yes",
            notes="Fine.",
            submit=True,
            expected_version=None,
        )
        assert reminders.send_scorecard_reminders(utc(2026, 12, 3, 9, 0)) == 1
        assert [m.user_id for m in messages("scorecard_reminder")] == [users["interviewer"]]


def test_the_overdue_set_is_read_in_a_constant_number_of_queries(
    app, users, hiring_objects, count_queries
):
    now = utc(2026, 12, 3, 9, 0)

    def cost(now: datetime) -> tuple[int, int, int]:
        with app.app_context():
            with count_queries() as reading:
                found = len(reminders.overdue_scorecards(now))
            db.session.remove()
        with app.app_context(), count_queries() as rerun:  # all sent already today
            assert reminders.send_scorecard_reminders(now) == 0
            assert reminders.send_overdue_digests(now) == 0
        return reading.count, rerun.count, found

    with app.app_context():
        reminders.send_scorecard_reminders(now)
        reminders.send_overdue_digests(now)
    small = cost(now)
    with app.app_context():
        for number in range(5):
            another_application(
                users,
                hiring_objects["requisition_id"],
                f"Pat Number{number}",
                utc(2026, 11, 30, 10 + number, 0),
            )
        with count_queries() as first_run:
            assert reminders.send_scorecard_reminders(now) == 5
    large = cost(now)
    assert (small[2], large[2]) == (1, 6)
    assert large[:2] == small[:2], "reading the overdue set must not grow with its size"
    # Queueing costs a fixed number of statements per message (its check and its insert).
    assert first_run.count <= small[1] + 5 * 2


def test_a_race_between_two_runs_queues_the_reminder_once(app, users, hiring_objects, monkeypatch):
    """Another run queued the same reminder after this run looked (a slow run of one hour
    meeting the next): the database refuses the duplicate and the work is done again."""
    now = utc(2026, 12, 3, 9, 0)
    real_queue = outbox.queue
    calls = []

    def queue_after_a_rival(kind, recipient, context, **options):
        message = real_queue(kind, recipient, context, **options)
        if not calls:
            # The rival's row, with the same key, lands before this run's flush.
            rival = real_queue(kind, recipient, context, **{**options, "dedupe_key": None})
            rival.dedupe_key = options["dedupe_key"]
        calls.append(kind)
        return message

    with app.app_context():
        monkeypatch.setattr(reminders.outbox, "queue", queue_after_a_rival)
        reminders.send_scorecard_reminders(now)
        monkeypatch.undo()
        assert len(calls) == 2  # tried, refused, done again
        assert len(messages("scorecard_reminder")) == 1


# --- the recruiters' list --------------------------------------------------------------


def test_the_recruiter_gets_the_overdue_scorecards_of_their_requisitions_only(
    app, users, make_user, hiring_objects
):
    from app.models import Role

    with app.app_context():
        other_recruiter_id = make_user("rosa@example.org", (Role.RECRUITER,), name="Rosa")
        other_recruiter = db.session.get(User, other_recruiter_id)
        other = hiring.create_requisition(
            title="CSM, Americas",
            level_id="csm",
            specialty_id=None,
            hiring_manager=db.session.get(User, users["hiring_manager"]),
            recruiter=other_recruiter,
            headcount=1,
            actor=other_recruiter,
        )
        candidate = hiring.add_candidate(
            hiring.CandidateDetails(name="Olive Other", email="olive@example.org"),
            actor=other_recruiter,
        )
        application = hiring.open_application(candidate, other, actor=other_recruiter)
        interviews.schedule_interview(
            application,
            stage_id="peer-interview",
            interviewers=[db.session.get(User, users["interviewer"])],
            starts_at=utc(2026, 11, 30, 10, 0),
            location=None,
            actor=other_recruiter,
        )
        # Not overdue yet: interviewed on Thursday.
        another_application(
            users, hiring_objects["requisition_id"], "Nora Notyet", utc(2026, 12, 3, 8, 0)
        )
        now = utc(2026, 12, 3, 9, 0)
        assert reminders.send_overdue_digests(now) == 2
        assert reminders.send_overdue_digests(now + timedelta(hours=1)) == 0
        mine = messages("overdue_digest", users["recruiter"])
        theirs = messages("overdue_digest", other_recruiter_id)
        assert len(mine) == len(theirs) == 1
        assert mine[0].subject == "1 overdue scorecard in your requisitions"
        assert "Casey Candidate, Peer Interview: Interviewer" in mine[0].text_body
        assert "Senior CSM, EMEA" in mine[0].text_body
        assert "Olive" not in mine[0].text_body and "Nora" not in mine[0].text_body
        assert f"/hiring/applications/{hiring_objects['application_id']}" in mine[0].text_body
        assert "Olive Other, Peer Interview" in theirs[0].text_body
        assert "Casey" not in theirs[0].text_body
        assert mine[0].dedupe_key == f"overdue-digest:{users['recruiter']}:2026-12-03"


def test_no_list_when_nothing_is_overdue_nor_on_the_recruiters_weekend(app, users, hiring_objects):
    with app.app_context():
        assert reminders.send_overdue_digests(utc(2026, 12, 2, 15, 0)) == 0  # not yet due
        assert reminders.send_overdue_digests(utc(2026, 12, 5, 9, 0)) == 0  # Saturday
        assert reminders.send_overdue_digests(utc(2026, 12, 6, 9, 0)) == 0  # Sunday
        set_zone(users["recruiter"], "America/New_York")
        assert reminders.send_overdue_digests(utc(2026, 12, 7, 12, 0)) == 0  # 07:00 there
        assert reminders.send_overdue_digests(utc(2026, 12, 7, 13, 0)) == 1
        [digest] = messages("overdue_digest")
        assert "was due Wed 2 Dec 2026, 10:30 EST" in digest.text_body


# --- preferences and the daily digest ---------------------------------------------------


def test_a_kind_turned_off_is_not_queued(app, users, hiring_objects):
    with app.app_context():
        set_delivery(users["interviewer"], scorecard_reminder="off")
        assert reminders.send_scorecard_reminders(utc(2026, 12, 3, 9, 0)) == 0
        assert messages() == []


def test_digest_choice_holds_messages_and_sends_one_digest_a_day(app, users, hiring_objects):
    with app.app_context():
        set_delivery(users["interviewer"], scorecard_reminder="digest")
        set_zone(users["interviewer"], "Europe/Berlin")
        another_application(
            users, hiring_objects["requisition_id"], "Dana Second", utc(2026, 11, 30, 10, 0)
        )
        # Wednesday 16:00 UTC: both overdue, both held.
        assert reminders.send_scorecard_reminders(utc(2026, 12, 2, 16, 0)) == 2
        held = messages("scorecard_reminder")
        assert [m.status for m in held] == [MessageStatus.HELD] * 2
        # Nothing held leaves with the worker's deliveries, nor in today's digest: it was
        # written after this morning's 08:00.
        worker.run_once(app, worker="w1", now=lambda: utc(2026, 12, 2, 16, 5))
        for message in held:
            db.session.refresh(message)
        assert [m.status for m in held] == [MessageStatus.HELD] * 2
        assert messages("digest") == []
        # Thursday 06:59 UTC is 07:59 in Berlin: not yet.
        assert reminders.send_digests(utc(2026, 12, 3, 6, 59)) == 0
        assert reminders.send_digests(utc(2026, 12, 3, 7, 0)) == 1
        assert reminders.send_digests(utc(2026, 12, 3, 8, 0)) == 0
        [digest] = messages("digest")
        assert digest.user_id == users["interviewer"]
        assert digest.status is MessageStatus.QUEUED
        assert digest.subject == "Your HireLadder digest: 2 notifications"
        assert digest.dedupe_key == f"digest:{users['interviewer']}:2026-12-03"
        for message in held:
            db.session.refresh(message)
            assert message.status is MessageStatus.DIGESTED
            assert message.digest_id == digest.id
            assert message.subject in digest.text_body
        assert "Casey Candidate" in digest.html_body and "Dana Second" in digest.html_body
        assert "Scorecard reminders, Wed 2 Dec 2026, 17:00 CET" in digest.text_body
        # Thursday's reminders (from 08:00 Berlin) are held for Friday's digest.
        assert reminders.send_scorecard_reminders(utc(2026, 12, 3, 7, 0)) == 2
        assert reminders.send_digests(utc(2026, 12, 3, 20, 0)) == 0
        assert reminders.send_digests(utc(2026, 12, 4, 7, 0)) == 1
        assert [m.subject for m in messages("digest")][1] == (
            "Your HireLadder digest: 2 notifications"
        )


def test_no_digest_without_held_messages(app, users, hiring_objects):
    with app.app_context():
        set_delivery(users["interviewer"], scorecard_reminder="digest")
        assert reminders.send_digests(utc(2026, 12, 3, 9, 0)) == 0
        assert messages("digest") == []


def test_the_digest_carries_the_held_messages_attachments(app, users):
    from app.notifications.smtp import Attachment

    with app.app_context():
        set_delivery(users["interviewer"], interview_invitation="digest")
        interviewer = db.session.get(User, users["interviewer"])
        for number in (1, 2):
            outbox.queue(
                "interview_invitation",
                outbox.to_user(interviewer),
                {},
                attachments=[Attachment("invite.ics", "text/calendar", b"BEGIN:VCALENDAR")],
                rendered=outbox.Rendered(f"Interview {number}", f"Text {number}", "<p>x</p>"),
            )
        db.session.commit()
        # The messages were written now: tomorrow morning's digest carries them.
        tomorrow = (datetime.now(UTC) + timedelta(days=1)).replace(hour=9, minute=0, second=0)
        assert reminders.send_digests(tomorrow) == 1
        [digest] = messages("digest")
        with_attachments = db.session.scalar(
            select(OutboxMessage)
            .where(OutboxMessage.id == digest.id)
            .options(selectinload(OutboxMessage.attachments))
        )
        assert [a.filename for a in with_attachments.attachments] == ["invite.ics", "invite-2.ics"]


# --- delivery over SMTP ---------------------------------------------------------------------


def test_the_reminder_arrives_over_smtp(app, users, hiring_objects, mail_to_smtp):
    with app.app_context():
        set_zone(users["interviewer"], "Europe/Berlin")
        # The fixture's invitation was queued at the real now: due before the worker's.
        db.session.execute(update(OutboxMessage).values(due_at=utc(2026, 12, 1, 12, 0)))
        db.session.commit()
        report = worker.run_once(app, worker="w1", now=lambda: utc(2026, 12, 3, 9, 0))
        # The reminder, the recruiter's list, and the fixture's invitation.
        assert report.sent == 3
        again = worker.run_once(app, worker="w2", now=lambda: utc(2026, 12, 3, 10, 0))
        assert again.sent == 0
        [row] = messages("scorecard_reminder")
        assert row.status is MessageStatus.SENT
    [received] = not_invitations(mail_to_smtp.to("interviewer@example.org"))
    assert received.recipients == ["interviewer@example.org"]
    assert received.subject == (
        "Scorecard overdue: Casey Candidate, Peer Interview (Senior CSM, EMEA)"
    )
    assert received.message_id == row.message_id
    text = received.text()
    assert "overdue by 17 hours" in text
    assert "Interview: Tue 1 Dec 2026, 16:00 CET" in text
    url = f"http://localhost/hiring/interviews/{hiring_objects['interview_id']}/scorecard"
    assert url in text
    assert f'href="{url}"' in received.html()
    assert "/account/notifications" in received.html()


def test_the_digest_arrives_over_smtp(app, users, hiring_objects, mail_to_smtp):
    with app.app_context():
        set_delivery(users["interviewer"], scorecard_reminder="digest")
        worker.run_once(app, worker="w1", now=lambda: utc(2026, 12, 2, 16, 0))
        assert not_invitations(mail_to_smtp.to("interviewer@example.org")) == []
        # Thursday 08:00: Wednesday's reminder leaves in the digest; Thursday's, written at
        # 08:00, waits for Friday's.
        worker.run_once(app, worker="w1", now=lambda: utc(2026, 12, 3, 8, 0))
    digests = not_invitations(mail_to_smtp.to("interviewer@example.org"))
    assert [d.subject for d in digests] == ["Your HireLadder digest: 1 notification"]
    assert digests[0].text().count("Scorecard overdue: Casey Candidate") == 1
    # The recruiter chose nothing: their list came right away, on each working day.
    assert [m.subject for m in mail_to_smtp.to("recruiter@example.org")] == [
        "1 overdue scorecard in your requisitions"
    ] * 2


def test_a_reminder_across_the_change_to_summer_time(app, users, hiring_objects):
    """Berlin moves its clocks forward on Sunday 29 March 2026: the interview was on CET,
    the scorecard fell due on CEST."""
    with app.app_context():
        db.session.get(Interview, hiring_objects["interview_id"]).cancelled_at = utc(2026, 3, 1)
        db.session.commit()
        set_zone(users["interviewer"], "Europe/Berlin")
        another_application(
            users, hiring_objects["requisition_id"], "Sam Spring", utc(2026, 3, 27, 15, 0)
        )
        # Monday 30 March 15:30 UTC is 17:30 CEST.
        assert reminders.send_scorecard_reminders(utc(2026, 3, 30, 15, 30)) == 0
        assert reminders.send_scorecard_reminders(utc(2026, 3, 30, 16, 0)) == 1
        [reminder] = messages("scorecard_reminder")
        assert "Interview: Fri 27 Mar 2026, 16:00 CET" in reminder.text_body
        assert "Was due:   Mon 30 Mar 2026, 17:30 CEST" in reminder.text_body
        assert "Mon 30 Mar 2026, 17:30 CEST" in reminder.html_body
