"""Interview invitations end to end: scheduling through the API or the form queues an
e-mail per interviewer with a calendar file, the worker delivers it to a real SMTP
server, and the file read back with icalendar says the right thing (UID, SEQUENCE,
METHOD, time, attendees). Moves, removals and cancellations follow; the candidate is
invited only when chosen, in the candidate's zone; a refused change queues nothing."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from flask import Flask
from icalendar import Calendar
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.db import db
from app.models import (
    Application,
    AuditEvent,
    Candidate,
    Interview,
    OutboxMessage,
    Role,
    User,
)
from app.notifications import worker
from app.services import api_tokens, interviews
from app.services.errors import ServiceError
from tests.conftest import login_as

API = "/api/v1"
PANEL = "panel-interview"
# 2030-03-04 10:00 in Paris (CET, UTC+1) is 09:00 UTC.
TEN_IN_PARIS = "2030-03-04T10:00:00+01:00"
NINE_UTC = datetime(2030, 3, 4, 9, 0, tzinfo=UTC)


def bearer(app: Flask, user_id: int) -> dict[str, str]:
    with app.app_context():
        user = db.session.get(User, user_id)
        assert user is not None
        _token, raw = api_tokens.issue(user, actor=None)
    return {"Authorization": f"Bearer {raw}"}


def call(client, method, path, headers, body=None):
    return client.open(f"{API}{path}", method=method, headers=headers, json=body)


def set_zone(app: Flask, model, row_id: int, zone_name: str | None) -> None:
    with app.app_context():
        row = db.session.get(model, row_id)
        row.timezone = zone_name
        db.session.commit()


def outbox_count(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(OutboxMessage)) or 0


def calendars(received) -> list[Calendar]:
    """The calendar files attached to one received message, parsed."""
    found = []
    for part in received.attachments():
        if part.get_content_type() == "text/calendar":
            found.append(Calendar.from_ical(part.get_payload(decode=True)))
    return found


def the_event(received):
    [calendar] = calendars(received)
    [event] = calendar.events
    return calendar, event


def attendee_addresses(event) -> list[str]:
    value = event.get("attendee", [])
    people = value if isinstance(value, list) else [value]
    return [str(a).removeprefix("mailto:") for a in people]


def about(received_list, uid: str):
    """The messages whose calendar file is the event ``uid``."""
    return [r for r in received_list if any(str(c.events[0]["uid"]) == uid for c in calendars(r))]


@pytest.fixture
def people(app, make_user, users) -> dict[str, int]:
    """A second interviewer in New York, the hiring manager in Paris."""
    ids = {"second": make_user("pat@example.org", (Role.INTERVIEWER,), name="Pat Second")}
    with app.app_context():
        db.session.get(User, ids["second"]).timezone = "America/New_York"
        db.session.get(User, users["hiring_manager"]).timezone = "Europe/Paris"
        db.session.commit()
    return ids


@pytest.fixture
def tokens(app, users) -> dict[str, dict[str, str]]:
    return {role: bearer(app, user_id) for role, user_id in users.items()}


def schedule(client, tokens, ids, **body):
    payload = {
        "stage": PANEL,
        "interviewer_emails": ["hiring_manager@example.org", "pat@example.org"],
        "scheduled_at": TEN_IN_PARIS,
        "location": "Room 4",
        **body,
    }
    return call(
        client,
        "POST",
        f"/applications/{ids['application_id']}/interviews",
        tokens["recruiter"],
        payload,
    )


def deliver(app: Flask) -> None:
    worker.run_once(app, worker="w1")


# --- the "Done when" --------------------------------------------------------------------


def test_scheduling_through_the_api_delivers_a_calendar_invitation_to_each_interviewer(
    app, client, users, tokens, people, hiring_objects, mail_to_smtp
):
    response = schedule(client, tokens, hiring_objects)
    assert response.status_code == 201, response.json
    interview_id = response.json["id"]
    uid = f"interview-{interview_id}@hireladder"
    deliver(app)

    invitations = about(mail_to_smtp.received, uid)
    assert sorted(r.recipients[0] for r in invitations) == [
        "hiring_manager@example.org",
        "pat@example.org",
    ]
    for received in invitations:
        calendar, event = the_event(received)
        assert str(calendar["method"]) == "REQUEST"
        assert str(event["uid"]) == uid
        assert event.decoded("sequence") == 0
        assert event.decoded("dtstart") == NINE_UTC
        assert event.decoded("dtend") == datetime(2030, 3, 4, 10, 0, tzinfo=UTC)
        assert str(event["location"]) == "Room 4"
        assert str(event["organizer"]) == "mailto:hiring_manager@example.org"
        assert sorted(attendee_addresses(event)) == [
            "hiring_manager@example.org",
            "pat@example.org",
        ]
        assert all(a.params["RSVP"] == "TRUE" for a in event["attendee"])
        assert f"/hiring/interviews/{interview_id}/scorecard" in str(event["description"])
        [part] = [p for p in received.attachments() if p.get_content_type() == "text/calendar"]
        assert part.get_param("method") == "REQUEST"
        assert part.get_filename() == f"interview-{interview_id}.ics"
        assert received.html() and "<" in received.html()
        assert "Casey Candidate" in received.text() and "Senior CSM, EMEA" in received.text()
        assert "Panel Interview" in received.text() and "60 minutes" in received.text()
        assert f"/hiring/interviews/{interview_id}/scorecard" in received.text()
    # Each in their own zone.
    [pat] = mail_to_smtp.to("pat@example.org")
    assert "04:00 EST" in pat.text() and "America/New_York" in pat.text()
    assert "04:00 EST" in pat.subject
    [manager] = about(mail_to_smtp.to("hiring_manager@example.org"), uid)
    assert "10:00 CET" in manager.text() and "Europe/Paris" in manager.text()
    # Nothing to the candidate unless chosen.
    assert mail_to_smtp.to("casey@example.org") == []


def test_a_reschedule_updates_with_the_same_uid_and_a_higher_sequence(
    app, client, tokens, people, hiring_objects, mail_to_smtp
):
    first = schedule(client, tokens, hiring_objects)
    uid = f"interview-{first.json['id']}@hireladder"
    deliver(app)
    moved = schedule(
        client,
        tokens,
        hiring_objects,
        scheduled_at="2030-03-05T14:00:00+01:00",
        version=first.json["version"],
    )
    assert moved.status_code == 200, moved.json
    deliver(app)
    updates = [r for r in about(mail_to_smtp.received, uid) if "changed" in r.subject]
    assert sorted(r.recipients[0] for r in updates) == [
        "hiring_manager@example.org",
        "pat@example.org",
    ]
    for received in updates:
        calendar, event = the_event(received)
        assert str(calendar["method"]) == "REQUEST"
        assert str(event["uid"]) == uid
        assert event.decoded("sequence") == 1
        assert event.decoded("dtstart") == datetime(2030, 3, 5, 13, 0, tzinfo=UTC)


def test_an_interviewer_taken_off_gets_a_cancel_and_the_others_nothing(
    app, client, tokens, people, hiring_objects, mail_to_smtp
):
    first = schedule(client, tokens, hiring_objects)
    uid = f"interview-{first.json['id']}@hireladder"
    deliver(app)
    before = len(mail_to_smtp.received)
    fewer = schedule(
        client, tokens, hiring_objects, interviewer_emails=["hiring_manager@example.org"]
    )
    assert fewer.status_code == 200, fewer.json
    deliver(app)
    new = mail_to_smtp.received[before:]
    assert [r.recipients for r in new] == [["pat@example.org"]]
    calendar, event = the_event(new[0])
    assert str(calendar["method"]) == "CANCEL"
    assert str(event["uid"]) == uid
    assert event.decoded("sequence") == 1
    assert str(event["status"]) == "CANCELLED"
    assert attendee_addresses(event) == ["pat@example.org"]
    assert "No longer needed" in new[0].subject


def test_an_unchanged_reschedule_sends_nothing_and_keeps_the_sequence(
    app, client, tokens, people, hiring_objects
):
    first = schedule(client, tokens, hiring_objects)
    queued = outbox_count(app)
    again = schedule(
        client,
        tokens,
        hiring_objects,
        interviewer_emails=["pat@example.org", "hiring_manager@example.org"],
        scheduled_at="2030-03-04T09:00:00Z",
    )
    assert again.status_code == 200, again.json
    assert outbox_count(app) == queued
    assert again.json["version"] == first.json["version"]
    with app.app_context():
        assert db.session.get(Interview, first.json["id"]).ics_sequence == 0
        # Nothing happened, so nothing is recorded either.
        assert (
            db.session.scalar(
                select(AuditEvent).where(
                    AuditEvent.action == "interview.reschedule",
                    AuditEvent.object_id == str(first.json["id"]),
                )
            )
            is None
        )


def test_taking_the_time_off_cancels_every_copy(
    app, client, tokens, people, hiring_objects, mail_to_smtp
):
    first = schedule(client, tokens, hiring_objects)
    deliver(app)
    before = len(mail_to_smtp.received)
    assert schedule(client, tokens, hiring_objects, scheduled_at=None).status_code == 200
    deliver(app)
    new = mail_to_smtp.received[before:]
    assert sorted(r.recipients[0] for r in new) == ["hiring_manager@example.org", "pat@example.org"]
    for received in new:
        calendar, event = the_event(received)
        assert str(calendar["method"]) == "CANCEL"
        assert str(event["uid"]) == f"interview-{first.json['id']}@hireladder"


# --- cancellation -----------------------------------------------------------------------


def test_cancelling_sends_a_cancel_to_everyone_and_scheduling_again_brings_it_back(
    app, client, users, tokens, people, hiring_objects, mail_to_smtp
):
    first = schedule(client, tokens, hiring_objects, invite_candidate=True)
    interview_id = first.json["id"]
    deliver(app)
    before = len(mail_to_smtp.received)
    cancelled = call(
        client,
        "POST",
        f"/interviews/{interview_id}/cancel",
        tokens["hiring_manager"],
        {"version": first.json["version"]},
    )
    assert cancelled.status_code == 200, cancelled.json
    assert cancelled.json["cancelled_at"] is not None
    deliver(app)
    new = mail_to_smtp.received[before:]
    assert sorted(r.recipients[0] for r in new) == [
        "casey@example.org",
        "hiring_manager@example.org",
        "pat@example.org",
    ]
    for received in new:
        calendar, event = the_event(received)
        assert str(calendar["method"]) == "CANCEL"
        assert str(event["status"]) == "CANCELLED"
        assert event.decoded("sequence") == 1
    [candidate_copy] = mail_to_smtp.to("casey@example.org")[-1:]
    assert (
        str(the_event(candidate_copy)[1]["uid"]) == f"interview-{interview_id}-candidate@hireladder"
    )
    with app.app_context():
        row = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "interview.cancel"))
        assert row is not None and row.object_id == str(interview_id)
        assert row.summary["messages"] == 3
        interview = db.session.get(Interview, interview_id)
        assert not interviews.is_overdue(interview, datetime(2031, 1, 1, tzinfo=UTC))

    again = call(client, "POST", f"/interviews/{interview_id}/cancel", tokens["recruiter"], {})
    assert again.status_code == 409
    assert "cancelled already" in again.json["error"]["detail"]

    before = len(mail_to_smtp.received)
    back = schedule(client, tokens, hiring_objects)
    assert back.status_code == 200 and back.json["cancelled_at"] is None
    deliver(app)
    new = mail_to_smtp.received[before:]
    # The interviewers again; the candidate only when chosen again.
    assert sorted(r.recipients[0] for r in new) == ["hiring_manager@example.org", "pat@example.org"]
    for received in new:
        calendar, event = the_event(received)
        assert str(calendar["method"]) == "REQUEST"
        assert event.decoded("sequence") == 2


def test_an_interview_with_a_submitted_scorecard_cannot_be_cancelled(
    app, client, users, tokens, hiring_objects
):
    from tests.web.test_interviews import full_scorecard

    login_as(app, client, users["interviewer"])
    url = f"/hiring/interviews/{hiring_objects['interview_id']}/scorecard"
    assert client.post(url, data=full_scorecard(app, hiring_objects)).status_code == 302
    queued = outbox_count(app)
    refused = call(
        client,
        "POST",
        f"/interviews/{hiring_objects['interview_id']}/cancel",
        tokens["recruiter"],
        {},
    )
    assert refused.status_code == 409
    assert "submitted scorecard" in refused.json["error"]["detail"]
    assert outbox_count(app) == queued


def test_the_interviewer_may_see_but_not_cancel(app, client, tokens, hiring_objects):
    path = f"/interviews/{hiring_objects['interview_id']}/cancel"
    assert call(client, "POST", path, tokens["interviewer"], {}).status_code == 403
    assert call(client, "POST", path, tokens["team_member"], {}).status_code == 404
    assert call(client, "POST", "/interviews/999999/cancel", tokens["admin"], {}).status_code == 404


def test_a_stale_cancel_answers_409_and_sends_nothing(app, client, tokens, hiring_objects):
    queued = outbox_count(app)
    path = f"/interviews/{hiring_objects['interview_id']}/cancel"
    stale = call(client, "POST", path, tokens["recruiter"], {"version": 999})
    assert stale.status_code == 409
    assert stale.json["error"]["current_version"] >= 1
    assert outbox_count(app) == queued
    with app.app_context():
        assert db.session.get(Interview, hiring_objects["interview_id"]).cancelled_at is None


# --- the candidate ----------------------------------------------------------------------


def test_the_candidate_is_invited_when_chosen_in_their_zone_without_internal_links(
    app, client, tokens, people, hiring_objects, mail_to_smtp
):
    set_zone(app, Candidate, hiring_objects["candidate_id"], "Asia/Tokyo")
    response = schedule(client, tokens, hiring_objects, invite_candidate=True)
    assert response.status_code == 201, response.json
    interview_id = response.json["id"]
    deliver(app)
    [received] = mail_to_smtp.to("casey@example.org")
    # 09:00 UTC is 18:00 in Tokyo.
    assert "18:00 JST" in received.subject
    assert "18:00 JST" in received.text() and "Asia/Tokyo" in received.text()
    assert "18:00 JST" in received.html()
    calendar, event = the_event(received)
    assert str(calendar["method"]) == "REQUEST"
    assert str(event["uid"]) == f"interview-{interview_id}-candidate@hireladder"
    assert attendee_addresses(event) == ["casey@example.org"]
    assert event.decoded("dtstart") == NINE_UTC
    raw = received.message.as_string()
    for internal in ("/hiring/", "scorecard", "Scorecard", "pat@example.org", "Pat Second"):
        assert internal not in received.text()
        assert internal not in received.html()
        assert internal not in calendar.to_ical().decode()
    assert "localhost/hiring" not in raw
    with app.app_context():
        message = db.session.scalar(
            select(OutboxMessage).where(OutboxMessage.to_address == "casey@example.org")
        )
        assert message.kind == "candidate_interview"
        assert message.candidate_id == hiring_objects["candidate_id"]


def test_an_invited_candidate_gets_the_new_time_without_being_chosen_again(
    app, client, tokens, people, hiring_objects, mail_to_smtp
):
    first = schedule(client, tokens, hiring_objects, invite_candidate=True)
    deliver(app)
    schedule(client, tokens, hiring_objects, scheduled_at="2030-03-06T10:00:00+01:00")
    deliver(app)
    sent = mail_to_smtp.to("casey@example.org")
    assert len(sent) == 2
    calendar, event = the_event(sent[1])
    assert str(calendar["method"]) == "REQUEST"
    assert event.decoded("sequence") == 1
    assert str(event["uid"]) == f"interview-{first.json['id']}-candidate@hireladder"
    assert "New details" in sent[1].subject


def test_inviting_a_candidate_needs_a_time_and_an_address(
    app, client, tokens, people, hiring_objects
):
    queued = outbox_count(app)
    untimed = schedule(client, tokens, hiring_objects, scheduled_at=None, invite_candidate=True)
    assert untimed.status_code == 422
    assert "Set a time" in untimed.json["error"]["fields"]["invite_candidate"][0]
    with app.app_context():
        candidate = db.session.get(Candidate, hiring_objects["candidate_id"])
        candidate.email = None
        candidate.erased_at = datetime(2030, 1, 1, tzinfo=UTC)
        db.session.commit()
    no_address = schedule(
        client,
        tokens,
        hiring_objects,
        interviewer_emails=["hiring_manager@example.org"],
        invite_candidate=True,
    )
    assert no_address.status_code == 422, no_address.json
    assert "no e-mail address" in no_address.json["error"]["fields"]["invite_candidate"][0]
    assert outbox_count(app) == queued
    with app.app_context():
        assert db.session.scalar(select(Interview).where(Interview.stage_id == PANEL)) is None


# --- refused changes send nothing ------------------------------------------------------------


def test_a_stale_reschedule_answers_409_and_queues_nothing(
    app, client, tokens, people, hiring_objects
):
    first = schedule(client, tokens, hiring_objects)
    schedule(client, tokens, hiring_objects, scheduled_at="2030-03-05T10:00:00+01:00")
    queued = outbox_count(app)
    stale = schedule(
        client,
        tokens,
        hiring_objects,
        scheduled_at="2030-03-07T10:00:00+01:00",
        version=first.json["version"],
    )
    assert stale.status_code == 409
    assert stale.json["error"]["current_version"] == first.json["version"] + 1
    assert outbox_count(app) == queued


def test_a_refused_interviewer_queues_nothing(app, client, tokens, users, hiring_objects):
    with app.app_context():
        db.session.get(User, users["team_member"]).active = False  # deactivated: refused
        db.session.commit()
    queued = outbox_count(app)
    refused = schedule(
        client,
        tokens,
        hiring_objects,
        interviewer_emails=["hiring_manager@example.org", "team_member@example.org"],
    )
    assert refused.status_code == 422
    assert outbox_count(app) == queued


def test_a_change_whose_commit_fails_leaves_nothing_queued(app, users, hiring_objects, monkeypatch):
    """The messages are rows of the change's own transaction: when its commit is refused
    (someone else changed the interview meanwhile), they go with it."""
    from sqlalchemy.orm.exc import StaleDataError

    queued = outbox_count(app)
    real_commit = db.session.commit

    def refused_commit() -> None:
        db.session.flush()
        assert outbox_count_in_session() > queued  # queued inside the transaction
        raise StaleDataError("someone else changed the interview")

    def outbox_count_in_session() -> int:
        return db.session.scalar(select(func.count()).select_from(OutboxMessage)) or 0

    with app.app_context():
        application = db.session.get(Application, hiring_objects["application_id"])
        interviewer = db.session.get(User, users["interviewer"])
        monkeypatch.setattr(db.session, "commit", refused_commit)
        with pytest.raises(ServiceError, match="changed by someone else"):
            interviews.schedule_interview(
                application,
                stage_id="peer-interview",
                interviewers=[interviewer],
                starts_at=datetime(2026, 12, 2, 15, 0, tzinfo=UTC),
                location="Video call",
                actor=db.session.get(User, users["recruiter"]),
            )
        monkeypatch.setattr(db.session, "commit", real_commit)
    assert outbox_count(app) == queued


# --- the web form -------------------------------------------------------------------------


def schedule_url(ids, stage="peer-interview") -> str:
    return f"/hiring/applications/{ids['application_id']}/interviews/{stage}"


def test_the_form_reads_the_time_in_the_schedulers_zone_and_says_so(
    app, client, users, hiring_objects
):
    set_zone(app, User, users["recruiter"], "Europe/Berlin")
    login_as(app, client, users["recruiter"])
    page = client.get(schedule_url(hiring_objects))
    assert "Your time, Europe/Berlin" in page.text
    # The fixture's 15:00 UTC shows as 16:00 in Berlin.
    assert 'value="2026-12-01T16:00"' in page.text
    response = client.post(
        schedule_url(hiring_objects),
        data={
            "interviewers": [users["interviewer"]],
            "starts_at": "2026-12-02T09:30",
            "location": "Room 4",
            "version": "",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        interview = db.session.get(Interview, hiring_objects["interview_id"])
        assert interview.starts_at == datetime(2026, 12, 2, 8, 30, tzinfo=UTC)
        assert interview.ics_sequence == 1


def test_the_form_shows_everyones_local_time(app, client, users, hiring_objects):
    set_zone(app, User, users["interviewer"], "America/New_York")
    set_zone(app, Candidate, hiring_objects["candidate_id"], "Asia/Tokyo")
    login_as(app, client, users["recruiter"])
    page = client.get(schedule_url(hiring_objects))
    # 15:00 UTC on 1 December 2026.
    assert "America/New_York" in page.text and "Tue 1 Dec 2026, 10:00 EST" in page.text
    assert "Asia/Tokyo" in page.text and "Wed 2 Dec 2026, 00:00 JST" in page.text


def test_previewing_local_times_saves_nothing(app, client, users, hiring_objects):
    set_zone(app, User, users["interviewer"], "America/New_York")
    login_as(app, client, users["recruiter"])
    queued = outbox_count(app)
    page = client.post(
        schedule_url(hiring_objects),
        data={
            "interviewers": [users["interviewer"]],
            "starts_at": "2026-12-03T18:00",
            "preview": "1",
        },
    )
    assert page.status_code == 200
    assert "Thu 3 Dec 2026, 13:00 EST" in page.text
    assert outbox_count(app) == queued
    with app.app_context():
        interview = db.session.get(Interview, hiring_objects["interview_id"])
        assert interview.starts_at == datetime(2026, 12, 1, 15, 0, tzinfo=UTC)


def test_a_time_in_the_skipped_hour_is_refused_with_a_message_not_a_crash(
    app, client, users, hiring_objects
):
    set_zone(app, User, users["recruiter"], "Europe/Berlin")
    login_as(app, client, users["recruiter"])
    queued = outbox_count(app)
    response = client.post(
        schedule_url(hiring_objects),
        data={"interviewers": [users["interviewer"]], "starts_at": "2026-03-29T02:30"},
    )
    assert response.status_code == 422
    assert "02:30 on Sun 29 Mar 2026 does not exist in Europe/Berlin" in response.text
    assert outbox_count(app) == queued
    # An hour later exists (summer time: 03:30 CEST is 01:30 UTC).
    client.post(
        schedule_url(hiring_objects),
        data={"interviewers": [users["interviewer"]], "starts_at": "2026-03-29T03:30"},
    )
    with app.app_context():
        interview = db.session.get(Interview, hiring_objects["interview_id"])
        assert interview.starts_at == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)


def test_the_form_invites_the_candidate_when_ticked(app, client, users, hiring_objects):
    login_as(app, client, users["recruiter"])
    response = client.post(
        schedule_url(hiring_objects),
        data={
            "interviewers": [users["interviewer"]],
            "starts_at": "2026-12-01T15:00",
            "location": "Video call",
            "invite_candidate": "y",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        kinds = db.session.scalars(
            select(OutboxMessage.kind).where(
                OutboxMessage.object_id == hiring_objects["interview_id"]
            )
        ).all()
    # The fixture's invitation, and now only the candidate's: nothing else changed.
    assert sorted(kinds) == ["candidate_interview", "interview_invitation"]
    page = client.get(schedule_url(hiring_objects))
    assert "was sent an invitation" in page.text
    assert 'name="invite_candidate"' not in page.text


def test_a_stale_form_is_refused_with_409(app, client, users, hiring_objects):
    login_as(app, client, users["recruiter"])
    response = client.post(
        schedule_url(hiring_objects),
        data={
            "interviewers": [users["interviewer"]],
            "starts_at": "2026-12-05T15:00",
            "version": "999",
        },
    )
    assert response.status_code == 409
    assert "changed by someone else" in response.text


def test_cancelling_from_the_application_page(app, client, users, hiring_objects):
    login_as(app, client, users["recruiter"])
    page = client.get(f"/hiring/applications/{hiring_objects['application_id']}")
    assert f"/hiring/interviews/{hiring_objects['interview_id']}/cancel" in page.text
    with app.app_context():
        version = db.session.get(Interview, hiring_objects["interview_id"]).version
    response = client.post(
        f"/hiring/interviews/{hiring_objects['interview_id']}/cancel",
        data={"version": str(version)},
        follow_redirects=True,
    )
    assert "Peer Interview cancelled" in response.text
    assert "schedule again" in response.text
    with app.app_context():
        interview = db.session.get(Interview, hiring_objects["interview_id"])
        assert interview.cancelled_at is not None and interview.ics_sequence == 1
        cancel = db.session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.object_id == interview.id)
            .order_by(OutboxMessage.id.desc())
        ).first()
        assert cancel.to_address == "interviewer@example.org"
        assert cancel.subject.startswith("Interview cancelled")
    # The interviewer's page no longer lists it as to do; their calendar file says CANCEL.
    other = app.test_client()
    login_as(app, other, users["interviewer"])
    mine = other.get("/hiring/my-interviews")
    assert "No upcoming interviews." in mine.text
    assert "No scorecards waiting for you." in mine.text
    assert "Cancelled" in mine.text
    ics = other.get(f"/hiring/interviews/{hiring_objects['interview_id']}/invite.ics")
    assert ics.headers["Content-Type"].startswith("text/calendar; method=CANCEL")
    [event] = Calendar.from_ical(ics.data).events
    assert str(event["status"]) == "CANCELLED"
    # No scorecard for a cancelled interview.
    refused = other.post(
        f"/hiring/interviews/{hiring_objects['interview_id']}/scorecard",
        data={"action": "save"},
        follow_redirects=True,
    )
    assert "was cancelled" in refused.text
    # The board no longer counts its scorecards as awaited.
    from app.services import hiring

    with app.app_context():
        seats = hiring.interview_seats([hiring_objects["application_id"]])
        progress = hiring.scorecard_progress(seats)
    assert any(seat.cancelled for seat in seats)
    assert (hiring_objects["application_id"], "peer-interview") not in progress


def test_a_stale_cancel_from_the_page_changes_nothing(app, client, users, hiring_objects):
    login_as(app, client, users["recruiter"])
    response = client.post(
        f"/hiring/interviews/{hiring_objects['interview_id']}/cancel",
        data={"version": "999"},
        follow_redirects=True,
    )
    assert "changed by someone else" in response.text
    with app.app_context():
        assert db.session.get(Interview, hiring_objects["interview_id"]).cancelled_at is None


def test_cancelling_needs_the_csrf_token(app, client, users, hiring_objects, csrf_enabled):
    login_as(app, client, users["recruiter"])
    response = client.post(
        f"/hiring/interviews/{hiring_objects['interview_id']}/cancel", data={"version": "1"}
    )
    assert response.status_code == 400
    with app.app_context():
        assert db.session.get(Interview, hiring_objects["interview_id"]).cancelled_at is None


def test_the_download_is_the_same_event_as_the_invitation(app, client, users, hiring_objects):
    login_as(app, client, users["interviewer"])
    response = client.get(f"/hiring/interviews/{hiring_objects['interview_id']}/invite.ics")
    assert response.headers["Content-Type"] == "text/calendar; method=REQUEST; charset=utf-8"
    assert response.headers["Cache-Control"] == "no-store"
    calendar = Calendar.from_ical(response.data)
    [event] = calendar.events
    assert str(calendar["method"]) == "REQUEST"
    assert str(event["uid"]) == f"interview-{hiring_objects['interview_id']}@hireladder"
    assert event.decoded("dtstart") == datetime(2026, 12, 1, 15, 0, tzinfo=UTC)
    assert attendee_addresses(event) == ["interviewer@example.org"]
    with app.app_context():
        [queued] = db.session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.object_id == hiring_objects["interview_id"])
            .options(selectinload(OutboxMessage.attachments))
        ).all()
        [attachment] = queued.attachments
        sent = Calendar.from_ical(attachment.content).events[0]
    assert str(sent["uid"]) == str(event["uid"])
    assert sent.decoded("sequence") == event.decoded("sequence")


# --- the candidate's time zone ------------------------------------------------------------


def test_the_candidate_form_takes_a_time_zone_and_refuses_an_unknown_one(
    app, client, users, hiring_objects
):
    login_as(app, client, users["recruiter"])
    url = f"/hiring/requisitions/{hiring_objects['requisition_id']}/candidates/new"
    data = {"name": "Noor", "email": "noor@example.org", "consent_on": "2030-01-02"}
    bad = client.post(url, data={**data, "timezone": "Berlin"})
    assert bad.status_code == 200
    assert "Unknown time zone &#39;Berlin&#39;" in bad.text
    good = client.post(url, data={**data, "timezone": "Europe/Berlin"})
    assert good.status_code == 302
    with app.app_context():
        noor = db.session.scalar(select(Candidate).where(Candidate.email == "noor@example.org"))
        assert noor.timezone == "Europe/Berlin"


def test_the_candidate_zone_is_changed_on_the_application_page(app, client, users, hiring_objects):
    login_as(app, client, users["recruiter"])
    page = client.get(f"/hiring/applications/{hiring_objects['application_id']}")
    assert "Change time zone" in page.text
    with app.app_context():
        version = db.session.get(Candidate, hiring_objects["candidate_id"]).version
    url = f"/hiring/candidates/{hiring_objects['candidate_id']}/timezone"
    form = {"application_id": hiring_objects["application_id"], "version": str(version)}
    bad = client.post(url, data={**form, "timezone": "Mars/Olympus"}, follow_redirects=True)
    assert "Unknown time zone" in bad.text
    good = client.post(url, data={**form, "timezone": "Asia/Tokyo"}, follow_redirects=True)
    assert "Time zone saved." in good.text and "Asia/Tokyo" in good.text
    with app.app_context():
        assert db.session.get(Candidate, hiring_objects["candidate_id"]).timezone == "Asia/Tokyo"
        row = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "candidate.timezone"))
        assert row is not None and "Asia" not in str(row.summary)


def test_the_api_takes_and_changes_a_candidates_zone(app, client, tokens, hiring_objects):
    body = {"name": "Ari", "email": "ari@example.org", "consent_on": "2030-01-02"}
    bad = call(client, "POST", "/candidates", tokens["recruiter"], {**body, "timezone": "Nowhere"})
    assert bad.status_code == 422
    assert "Unknown time zone 'Nowhere'" in bad.json["error"]["fields"]["timezone"][0]
    created = call(
        client, "POST", "/candidates", tokens["recruiter"], {**body, "timezone": "Europe/Berlin"}
    )
    assert created.status_code == 201 and created.json["timezone"] == "Europe/Berlin"
    path = f"/candidates/{created.json['id']}"
    changed = call(
        client,
        "PATCH",
        path,
        tokens["recruiter"],
        {"timezone": "Asia/Tokyo", "version": created.json["version"]},
    )
    assert changed.status_code == 200 and changed.json["timezone"] == "Asia/Tokyo"
    stale = call(
        client,
        "PATCH",
        path,
        tokens["recruiter"],
        {"timezone": "UTC", "version": created.json["version"]},
    )
    assert stale.status_code == 409
    unknown = call(
        client,
        "PATCH",
        path,
        tokens["recruiter"],
        {"timezone": "Mars/Olympus", "version": changed.json["version"]},
    )
    assert unknown.status_code == 422
    cleared = call(
        client,
        "PATCH",
        path,
        tokens["recruiter"],
        {"timezone": None, "version": changed.json["version"]},
    )
    assert cleared.status_code == 200 and cleared.json["timezone"] is None
    assert call(client, "PATCH", path, tokens["hiring_manager"], {"version": 1}).status_code == 404


# --- the messages themselves ----------------------------------------------------------------


def test_names_are_escaped_in_the_html_message(app, users, hiring_objects):
    with app.app_context():
        candidate = db.session.get(Candidate, hiring_objects["candidate_id"])
        candidate.name = "<b>Casey</b>"
        db.session.commit()
        application = db.session.get(Application, hiring_objects["application_id"])
        interviews.schedule_interview(
            application,
            stage_id="peer-interview",
            interviewers=[db.session.get(User, users["interviewer"])],
            starts_at=datetime(2026, 12, 4, 15, 0, tzinfo=UTC),
            location="Video call",
            actor=db.session.get(User, users["recruiter"]),
        )
        message = db.session.scalars(
            select(OutboxMessage).order_by(OutboxMessage.id.desc())
        ).first()
    assert "&lt;b&gt;Casey&lt;/b&gt;" in message.html_body
    assert "<b>Casey</b>" not in message.html_body
    assert "<b>Casey</b>" in message.text_body


def test_an_interviewer_who_turned_invitations_off_gets_none(
    app, client, users, tokens, people, hiring_objects
):
    with app.app_context():
        pat = db.session.get(User, people["second"])
        pat.notification_preferences = {"interview_invitation": "off"}
        db.session.commit()
    response = schedule(client, tokens, hiring_objects)
    with app.app_context():
        to = db.session.scalars(
            select(OutboxMessage.to_address).where(OutboxMessage.object_id == response.json["id"])
        ).all()
    assert to == ["hiring_manager@example.org"]


@pytest.mark.parametrize("move", ["decline", "withdraw"])
def test_an_ended_application_calls_off_its_interviews_still_to_come(
    app, client, users, tokens, people, hiring_objects, mail_to_smtp, move
):
    # The fixture's peer interview was on 1 Dec 2026 (past): it stays as it is. The panel
    # interview is still to come: its interviewers get a CANCEL with the decline.
    panel = schedule(client, tokens, hiring_objects, scheduled_at="2031-03-04T10:00:00+01:00")
    assert panel.status_code == 201, panel.json
    deliver(app)
    before = len(mail_to_smtp.received)
    application = client.get(
        f"/api/v1/applications/{hiring_objects['application_id']}", headers=tokens["recruiter"]
    ).json
    body = {"version": application["version"]}
    if move == "decline":
        body["reason"] = "skills"
    ended = call(
        client,
        "POST",
        f"/applications/{hiring_objects['application_id']}/{move}",
        tokens["recruiter"],
        body,
    )
    assert ended.status_code == 200, ended.json
    deliver(app)
    new = mail_to_smtp.received[before:]
    assert sorted(r.recipients[0] for r in new) == ["hiring_manager@example.org", "pat@example.org"]
    for received in new:
        calendar, event = the_event(received)
        assert str(calendar["method"]) == "CANCEL"
        assert str(event["uid"]) == f"interview-{panel.json['id']}@hireladder"
    with app.app_context():
        assert db.session.get(Interview, panel.json["id"]).cancelled_at is not None
        assert db.session.get(Interview, hiring_objects["interview_id"]).cancelled_at is None
        row = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "interview.cancel"))
        assert row is not None
        assert row.summary["because"] == {"decline": "declined", "withdraw": "withdrawn"}[move]
