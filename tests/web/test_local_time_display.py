"""Times on pages and in PDFs are written in the viewer's zone, with its abbreviation; the
JSON API keeps ISO 8601 in UTC.

The ``hiring_objects`` peer interview starts on Tuesday 1 December 2026 at 15:00 UTC.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from app.db import db
from app.ladder_access import get_ladder
from app.models import Application, Candidate, Interview, PromotionPacket, User
from app.promotions.documents import describe_packet, get_packet_pdf
from app.services import api_tokens, interviews
from tests.conftest import login_as
from tests.web.test_assessment import at_assessment, send  # noqa: F401 (a fixture)
from tests.web.test_promotion_pdf import load, pdf_text


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def set_zone(app, user_id: int, zone: str | None) -> None:
    with app.app_context():
        user = db.session.get(User, user_id)
        user.timezone = zone
        db.session.commit()


def move_interview(app, users, hiring_objects, starts_at: datetime) -> None:
    with app.app_context():
        interview = db.session.get(Interview, hiring_objects["interview_id"])
        interviews.schedule_interview(
            db.session.get(Application, hiring_objects["application_id"]),
            stage_id=interview.stage_id,
            interviewers=[db.session.get(User, users["interviewer"])],
            starts_at=starts_at,
            location=None,
            actor=db.session.get(User, users["recruiter"]),
        )


@pytest.mark.parametrize(
    ("zone", "starts_at", "written"),
    [
        ("Europe/Berlin", utc(2026, 12, 1, 15, 0), "Tue 1 Dec 2026, 16:00 CET"),
        ("Europe/Berlin", utc(2026, 6, 2, 15, 0), "Tue 2 Jun 2026, 17:00 CEST"),
        # Either side of Berlin's change back to winter time (01:00 UTC, 25 October 2026).
        ("Europe/Berlin", utc(2026, 10, 25, 0, 30), "Sun 25 Oct 2026, 02:30 CEST"),
        ("Europe/Berlin", utc(2026, 10, 25, 1, 30), "Sun 25 Oct 2026, 02:30 CET"),
        ("America/New_York", utc(2026, 12, 1, 15, 0), "Tue 1 Dec 2026, 10:00 EST"),
        ("America/New_York", utc(2026, 3, 8, 7, 0), "Sun 8 Mar 2026, 03:00 EDT"),
        (None, utc(2026, 12, 1, 15, 0), "Tue 1 Dec 2026, 15:00 UTC"),
    ],
)
def test_my_interviews_in_the_viewers_zone(
    app, client, users, hiring_objects, zone, starts_at, written
):
    move_interview(app, users, hiring_objects, starts_at)
    set_zone(app, users["interviewer"], zone)
    login_as(app, client, users["interviewer"])
    html = client.get("/hiring/my-interviews").get_data(as_text=True)
    assert written in html
    assert "(UTC)" not in html


def test_two_viewers_of_one_page_see_their_own_clocks(app, client, users, hiring_objects):
    set_zone(app, users["recruiter"], "Asia/Tokyo")
    set_zone(app, users["hiring_manager"], "America/Los_Angeles")
    url = f"/hiring/applications/{hiring_objects['application_id']}"
    login_as(app, client, users["recruiter"])
    assert "Wed 2 Dec 2026, 00:00 JST" in client.get(url).get_data(as_text=True)
    other = app.test_client()
    login_as(app, other, users["hiring_manager"])
    assert "Tue 1 Dec 2026, 07:00 PST" in other.get(url).get_data(as_text=True)


def test_the_installations_default_zone_serves_who_chose_none(app, client, users, hiring_objects):
    app.config["DEFAULT_TIMEZONE"] = "Europe/Berlin"
    try:
        login_as(app, client, users["interviewer"])
        html = client.get(f"/hiring/interviews/{hiring_objects['interview_id']}/scorecard").text
    finally:
        app.config["DEFAULT_TIMEZONE"] = "UTC"
    assert "Tue 1 Dec 2026, 16:00 CET" in html


def test_the_account_pages_sessions_carry_the_zone(app, client, users):
    set_zone(app, users["team_member"], "Asia/Kolkata")
    login_as(app, client, users["team_member"])
    html = client.get("/account").get_data(as_text=True)
    assert " IST</td>" in html
    assert "Signed in (UTC)" not in html


def test_the_api_keeps_utc(app, client, users, hiring_objects):
    set_zone(app, users["recruiter"], "Asia/Tokyo")
    with app.app_context():
        _token, raw = api_tokens.issue(db.session.get(User, users["recruiter"]), actor=None)
    response = client.get(
        f"/api/v1/interviews/{hiring_objects['interview_id']}",
        headers={"Authorization": f"Bearer {raw}"},
    )
    assert response.status_code == 200
    assert response.json["scheduled_at"] in ("2026-12-01T15:00:00+00:00", "2026-12-01T15:00:00Z")
    assert "JST" not in response.get_data(as_text=True)


def test_the_candidates_page_uses_the_candidates_zone(app, client, users, at_assessment):  # noqa: F811
    with app.app_context():
        candidate = db.session.get(Candidate, at_assessment["candidate_id"])
        candidate.timezone = "Australia/Sydney"
        db.session.commit()
    token = send(app, users, at_assessment["application_id"])
    html = client.get(f"/assessment/{token}").get_data(as_text=True)
    assert "valid until" in html
    assert " AEDT." in html  # December: summer time in Sydney


# --- the promotion packet PDF -------------------------------------------------------------


def test_the_packet_pdf_dates_are_the_days_in_the_readers_zone(app, users, promotion_objects):
    packet_id = promotion_objects["submitted_packet_id"]
    with app.app_context():
        packet = db.session.get(PromotionPacket, packet_id)
        packet.created_at = utc(2026, 11, 30, 23, 30)
        packet.submitted_at = utc(2026, 12, 1, 23, 30)
        db.session.commit()
        view = load(users["hiring_manager"], packet_id)
        in_utc = describe_packet(view, get_ladder())
        in_tokyo = describe_packet(view, get_ladder(), "Asia/Tokyo")
        in_new_york = describe_packet(view, get_ladder(), "America/New_York")
        assert (in_utc.created, in_utc.submitted) == ("30 November 2026", "1 December 2026")
        assert (in_tokyo.created, in_tokyo.submitted) == ("1 December 2026", "2 December 2026")
        assert in_new_york.created == "30 November 2026"
        text = pdf_text(get_packet_pdf(view, "a4", "Asia/Tokyo").data or b"")
        assert "Created 1 December 2026" in text
        assert "Submitted 2 December 2026" in text


def test_the_packet_pdf_from_the_api_follows_the_callers_zone(
    app, client, users, promotion_objects
):
    packet_id = promotion_objects["submitted_packet_id"]
    with app.app_context():
        packet = db.session.get(PromotionPacket, packet_id)
        packet.created_at = utc(2026, 11, 30, 23, 30)
        db.session.commit()
    set_zone(app, users["hiring_manager"], "Asia/Tokyo")
    login_as(app, client, users["hiring_manager"])
    url = f"/api/v1/promotions/{packet_id}/document.pdf"
    tokyo = client.get(url)
    assert tokyo.status_code == 200
    assert "Created 1 December 2026" in pdf_text(tokyo.data)
    set_zone(app, users["hiring_manager"], None)
    utc_pdf = client.get(url)
    assert "Created 30 November 2026" in pdf_text(utc_pdf.data)
    # A different document, a different ETag: a cache keyed on it cannot mix them up.
    assert utc_pdf.headers["ETag"] != tokyo.headers["ETag"]
