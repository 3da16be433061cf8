"""One's own time zone and notification choices: the page, the API, and the audit trail."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from app.db import db
from app.models import AuditEvent, User
from app.services import api_tokens
from tests.conftest import login_as

PAGE = "/account/notifications"


def person(user_id: int) -> User:
    db.session.expire_all()
    user = db.session.get(User, user_id)
    assert user is not None
    return user


def version_of(app, user_id: int) -> int:
    with app.app_context():
        return person(user_id).version


def form(current_version: int, **values: str) -> dict[str, str]:
    data = {
        "version": str(current_version),
        "timezone": "",
        "kind_interview_invitation": "immediate",
        "kind_scorecard_reminder": "immediate",
        "kind_overdue_digest": "immediate",
        "kind_packet_submitted": "immediate",
        "kind_packet_decided": "immediate",
    }
    data.update(values)
    return data


def test_the_page_shows_the_current_choices(app, client, users):
    with app.app_context():
        user = person(users["interviewer"])
        user.timezone = "Europe/Berlin"
        user.notification_preferences = {"scorecard_reminder": "digest"}
        db.session.commit()
    login_as(app, client, users["interviewer"])
    page = client.get(PAGE)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert '<option selected value="Europe/Berlin">' in html
    assert re.search(r'value="digest"[^>]*checked|checked[^>]*value="digest"', html)
    assert html.count('type="radio"') == 7 * 3
    for label in ("Scorecard reminders", "Right away", "In a daily digest", "Never"):
        assert label in html
    assert "localtime" not in html  # the machine's own setting is not a zone to offer
    # The account page says which zone is in use and links here.
    account = client.get("/account").get_data(as_text=True)
    assert "Europe/Berlin" in account and PAGE in account


def test_saving_stores_the_zone_and_choices_and_audits_without_the_zone(app, client, users):
    login_as(app, client, users["team_member"])
    response = client.post(
        PAGE,
        data=form(
            version_of(app, users["team_member"]),
            timezone="America/New_York",
            kind_scorecard_reminder="digest",
            kind_packet_decided="off",
        ),
    )
    assert response.status_code == 303
    assert response.headers["Location"].endswith(PAGE)
    assert "are saved" in client.get(PAGE).get_data(as_text=True)
    with app.app_context():
        user = person(users["team_member"])
        assert user.timezone == "America/New_York"
        assert user.notification_preferences == {
            "scorecard_reminder": "digest",
            "packet_decided": "off",
        }
        [event] = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "account.preferences")
        ).all()
        assert event.actor_id == user.id and event.object_id == str(user.id)
        assert event.summary["timezone"] == {"changed": True}
        assert event.summary["scorecard_reminder"] == {"before": "immediate", "after": "digest"}
        assert "New_York" not in str(event.summary)
        # Nobody else changed.
        assert person(users["interviewer"]).timezone is None


def test_back_to_the_default_zone(app, client, users):
    with app.app_context():
        user = person(users["team_member"])
        user.timezone = "Asia/Tokyo"
        db.session.commit()
    login_as(app, client, users["team_member"])
    response = client.post(PAGE, data=form(version_of(app, users["team_member"]), timezone=""))
    assert response.status_code == 303
    with app.app_context():
        assert person(users["team_member"]).timezone is None


@pytest.mark.parametrize(
    ("values", "message"),
    [
        (
            {"timezone": "Mars/Olympus_Mons"},
            "Time zone: &#39;Mars/Olympus_Mons&#39; is not a time zone",
        ),
        ({"timezone": "localtime"}, "Time zone: &#39;localtime&#39; is not a time zone"),
        ({"timezone": "Europe/" + "x" * 80}, "Field cannot be longer than 64 characters."),
        (
            {"kind_scorecard_reminder": "hourly"},
            "Scorecard reminders: &#39;hourly&#39; is not a choice",
        ),
        ({"version": "abc"}, "This form is damaged or out of date"),
    ],
)
def test_a_bad_value_is_a_form_error_that_names_the_field(app, client, users, values, message):
    login_as(app, client, users["team_member"])
    response = client.post(PAGE, data=form(version_of(app, users["team_member"]), **values))
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    with app.app_context():
        user = person(users["team_member"])
        assert user.timezone is None and user.notification_preferences == {}


def test_a_stale_form_is_refused(app, client, users):
    login_as(app, client, users["team_member"])
    old = version_of(app, users["team_member"])
    assert client.post(PAGE, data=form(old, timezone="Europe/Berlin")).status_code == 303
    response = client.post(PAGE, data=form(old, timezone="Asia/Tokyo"))
    assert response.status_code == 409
    assert "changed elsewhere" in response.get_data(as_text=True)
    with app.app_context():
        assert person(users["team_member"]).timezone == "Europe/Berlin"


def test_nothing_changed_writes_nothing(app, client, users):
    login_as(app, client, users["team_member"])
    version = version_of(app, users["team_member"])
    response = client.post(PAGE, data=form(version))
    assert response.status_code == 303
    assert version_of(app, users["team_member"]) == version
    with app.app_context():
        assert not db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "account.preferences")
        ).all()


def test_the_form_needs_its_csrf_token(app, client, users, csrf_enabled):
    login_as(app, client, users["team_member"])
    page = client.get(PAGE).get_data(as_text=True)
    refused = client.post(PAGE, data=form(version_of(app, users["team_member"]), timezone="UTC"))
    assert refused.status_code == 400
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    assert token is not None
    accepted = client.post(
        PAGE,
        data={
            **form(version_of(app, users["team_member"]), timezone="UTC"),
            "csrf_token": token.group(1),
        },
    )
    assert accepted.status_code == 303


def test_the_page_needs_a_signed_in_person(client):
    response = client.get(PAGE)
    assert response.status_code == 302 and "/login" in response.headers["Location"]


# --- the API ----------------------------------------------------------------------------


@pytest.fixture
def token(app, users) -> str:
    with app.app_context():
        _token, raw = api_tokens.issue(person(users["recruiter"]), actor=None)
    return raw


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_api_reads_and_replaces_the_preferences(app, client, users, token):
    read = client.get("/api/v1/me/preferences", headers=bearer(token))
    assert read.status_code == 200
    assert read.json["timezone"] is None
    assert read.json["default_timezone"] == "UTC"
    assert read.json["notifications"]["overdue_digest"] == "immediate"
    assert set(read.json["notifications"]) == {
        "interview_invitation",
        "scorecard_reminder",
        "overdue_digest",
        "packet_submitted",
        "packet_decided",
        "referral_received",
        "referral_update",
    }
    put = client.put(
        "/api/v1/me/preferences",
        headers=bearer(token),
        json={
            "timezone": "Europe/Berlin",
            "notifications": {"overdue_digest": "digest"},
            "version": read.json["version"],
        },
    )
    assert put.status_code == 200, put.json
    assert put.json["timezone"] == "Europe/Berlin"
    assert put.json["notifications"]["overdue_digest"] == "digest"
    assert put.json["version"] == read.json["version"] + 1
    # Replaced as a whole: a kind not named is back to right away.
    again = client.put(
        "/api/v1/me/preferences",
        headers=bearer(token),
        json={"timezone": None, "notifications": {}, "version": put.json["version"]},
    )
    assert again.status_code == 200
    assert again.json["timezone"] is None
    assert again.json["notifications"]["overdue_digest"] == "immediate"
    with app.app_context():
        events = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "account.preferences")
        ).all()
        assert [e.channel for e in events] == ["api", "api"]


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"timezone": "Atlantis/Capital"}, 422, "timezone"),
        ({"notifications": {"newsletter": "off"}}, 422, "notifications"),
        ({"notifications": {"scorecard_reminder": "weekly"}}, 422, "notifications"),
        ({"timezone": 5}, 400, "timezone"),
        ({"colour": "blue"}, 400, "colour"),
    ],
)
def test_api_refusals_name_the_field(app, client, users, token, body, status, field):
    version = version_of(app, users["recruiter"])
    response = client.put(
        "/api/v1/me/preferences", headers=bearer(token), json={"version": version, **body}
    )
    assert response.status_code == status
    assert field in response.json["error"]["fields"]
    assert version_of(app, users["recruiter"]) == version


def test_api_stale_version_is_a_409_with_the_current_one(app, client, users, token):
    version = version_of(app, users["recruiter"])
    response = client.put(
        "/api/v1/me/preferences",
        headers=bearer(token),
        json={"timezone": "UTC", "version": version - 1},
    )
    assert response.status_code == 409
    assert response.json["error"]["current_version"] == version


def test_api_read_only_token_cannot_change_preferences(app, client, users):
    with app.app_context():
        _token, raw = api_tokens.issue(person(users["recruiter"]), actor=None, scope="read")
    assert client.get("/api/v1/me/preferences", headers=bearer(raw)).status_code == 200
    response = client.put(
        "/api/v1/me/preferences",
        headers=bearer(raw),
        json={"timezone": "UTC", "version": version_of(app, users["recruiter"])},
    )
    assert response.status_code == 403
