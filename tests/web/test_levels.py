"""Promotions that promote and the level history: approving a packet changes the person's
level from its effective date, the admin's placement edit keeps a "changed" span, a last
day can be recorded, and My path, a person's path and GET /api/v1/me show the history."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from app.db import db
from app.models import AuditEvent, LevelSpan, OutboxMessage, PromotionPacket, User
from app.services import levels, promotions
from pipelines.level_history import LevelReason
from pipelines.promotions import Decision
from tests.conftest import login_as
from tests.web.test_api_hiring import bearer

API = "/api/v1"
HIRED_ON = date(2024, 1, 8)


def _user(user_id: int) -> User:
    user = db.session.get(User, user_id)
    assert user is not None
    return user


def _today(app, user_id: int) -> date:
    with app.app_context():
        return levels.local_today(_user(user_id))


def _spans(app, user_id: int) -> list[tuple[str, str | None, date, date | None, str, int | None]]:
    with app.app_context():
        return [
            (s.level_id, s.specialty_id, s.starts_on, s.ends_on, s.reason.value, s.packet_id)
            for s in levels.history_of(user_id)
        ]


def _hire(app, user_id: int, level_id: str, starts_on: date = HIRED_ON) -> None:
    """A first span, as the hire would start it."""
    with app.app_context():
        levels.start_level(
            _user(user_id),
            level_id=level_id,
            specialty_id=None,
            starts_on=starts_on,
            reason=LevelReason.HIRED,
            actor=None,
            today=starts_on,
        )
        db.session.commit()


def _actions(app, object_type: str, object_id: int) -> list[AuditEvent]:
    with app.app_context():
        return list(
            db.session.scalars(
                select(AuditEvent)
                .where(
                    AuditEvent.object_type == object_type,
                    AuditEvent.object_id == str(object_id),
                )
                .order_by(AuditEvent.id)
            )
        )


def _packet(app, packet_id: int) -> PromotionPacket:
    with app.app_context():
        packet = db.session.get(PromotionPacket, packet_id)
        assert packet is not None
        db.session.expunge(packet)
        return packet


def _day(value: date) -> str:
    return f"{value.day} {value:%B %Y}"


# --- approving a packet ------------------------------------------------------------------


def test_approval_on_the_page_changes_the_level_from_today(app, client, users, promotion_objects):
    """The interviewer (senior-csm since 8 Jan 2024) is promoted to staff-csm by the admin."""
    person = users["interviewer"]
    packet_id = promotion_objects["submitted_packet_id"]
    _hire(app, person, "senior-csm")
    today = _today(app, users["admin"])
    login_as(app, client, users["admin"])
    response = client.post(
        f"/promotions/{packet_id}/decision",
        data={
            "decision": "approve",
            "comment": "",
            "effective_on": "",
            "version": _packet(app, packet_id).version,
        },
    )
    assert response.status_code == 302
    page = client.get(f"/promotions/{packet_id}").text
    assert f"Packet approved. Interviewer is Staff CSM from {_day(today)}." in page
    assert f'Interviewer is Staff CSM from <time datetime="{today.isoformat()}">' in page
    assert _packet(app, packet_id).effective_on == today
    assert _spans(app, person) == [
        ("senior-csm", None, HIRED_ON, today - timedelta(days=1), "hired", None),
        ("staff-csm", None, today, None, "promoted", packet_id),
    ]
    with app.app_context():
        member = _user(person)
        assert (member.level_id, member.level_since) == ("staff-csm", today)
        level_event = db.session.scalars(
            select(AuditEvent).where(
                AuditEvent.action == "user.level", AuditEvent.object_id == str(person)
            )
        ).all()[-1]
        assert level_event.summary["reason"] == "promoted"
        assert level_event.summary["level_id"] == {"before": "senior-csm", "after": "staff-csm"}
        approve = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "promotion.approve")
        ).one()
        assert approve.summary["effective_on"] == today.isoformat()
        assert approve.summary["applied"] is True
        # The person is told from when.
        told = db.session.scalars(
            select(OutboxMessage).where(
                OutboxMessage.kind == "packet_decided", OutboxMessage.user_id == person
            )
        ).one()
        assert f"You are Staff CSM from {_day(today)}." in told.text_body
        assert f"from <strong>{_day(today)}</strong>" in (told.html_body or "")


def test_a_later_effective_date_changes_the_level_on_that_day_only(
    app, client, users, promotion_objects
):
    person = users["interviewer"]
    packet_id = promotion_objects["submitted_packet_id"]
    _hire(app, person, "senior-csm")
    today = _today(app, users["admin"])
    later = today + timedelta(days=30)
    status = client.post(
        f"{API}/promotions/{packet_id}/decision",
        headers=bearer(app, users["admin"]),
        json={
            "decision": "approve",
            "effective_on": later.isoformat(),
            "version": _packet(app, packet_id).version,
        },
    )
    assert status.status_code == 200, status.get_json()
    assert status.get_json()["effective_on"] == later.isoformat()
    assert _spans(app, person) == [
        ("senior-csm", None, HIRED_ON, later - timedelta(days=1), "hired", None),
        ("staff-csm", None, later, None, "promoted", packet_id),
    ]
    with app.app_context():
        member = _user(person)
        assert (member.level_id, member.level_since) == ("senior-csm", HIRED_ON)
        told = db.session.scalars(
            select(OutboxMessage).where(
                OutboxMessage.kind == "packet_decided", OutboxMessage.user_id == person
            )
        ).one()
        assert f"You are Staff CSM from {_day(later)}." in told.text_body
        # The worker's daily job: nothing the day before, the change on the day, once.
        assert levels.apply_due_levels(later - timedelta(days=1)) == 0
        assert _user(person).level_id == "senior-csm"
        assert levels.apply_due_levels(later) == 1
        member = _user(person)
        assert (member.level_id, member.level_since) == ("staff-csm", later)
        assert levels.apply_due_levels(later + timedelta(days=1)) == 0


def test_a_scheduled_promotion_is_not_cancelled_by_an_admin_change(
    app, client, users, promotion_objects
):
    person = users["interviewer"]
    packet_id = promotion_objects["submitted_packet_id"]
    _hire(app, person, "senior-csm")
    later = _today(app, users["admin"]) + timedelta(days=30)
    client.post(
        f"{API}/promotions/{packet_id}/decision",
        headers=bearer(app, users["admin"]),
        json={
            "decision": "approve",
            "effective_on": later.isoformat(),
            "version": _packet(app, packet_id).version,
        },
    )
    before = _spans(app, person)
    login_as(app, client, users["admin"])
    # A new specialty from today would replace the promotion scheduled after it.
    response = _placement(app, client, person, level_id="senior-csm", specialty_id="public-sector")
    assert response.status_code in (409, 422)
    assert "approved promotion to Staff CSM" in response.text
    assert _spans(app, person) == before


def test_the_approval_and_its_level_change_are_one_transaction(app, users, promotion_objects):
    """A stale approval changes no level."""
    person = users["interviewer"]
    packet_id = promotion_objects["submitted_packet_id"]
    _hire(app, person, "senior-csm")
    with app.app_context():
        view = promotions.load_packet(_user(users["admin"]), packet_id)
        assert view is not None
        # Someone else decides first: the packet row moves on under this approver.
        db.session.execute(
            PromotionPacket.__table__.update()
            .where(PromotionPacket.id == packet_id)
            .values(version=PromotionPacket.version + 1)
        )
        with pytest.raises(promotions.ConflictError):
            promotions.decide(
                view, _user(users["admin"]), Decision.APPROVE, None, expected_version=None
            )
    assert [s[0] for s in _spans(app, person)] == ["senior-csm"]


def test_the_effective_date_follows_the_approvers_zone_and_the_submission(
    app, users, promotion_objects
):
    """Submitted at 23:30 UTC on 1 March: that is 2 March in Tokyo, so a Tokyo approver
    cannot date the change 1 March, while a UTC approver can."""
    packet_id = promotion_objects["submitted_packet_id"]
    with app.app_context():
        packet = db.session.get(PromotionPacket, packet_id)
        packet.submitted_at = datetime(2027, 3, 1, 23, 30, tzinfo=UTC)
        admin = _user(users["admin"])
        admin.timezone = "Asia/Tokyo"
        db.session.commit()
        with pytest.raises(levels.LevelDateProblem, match=r"submitted \(2 March 2027\)"):
            promotions.effective_date(packet, admin, date(2027, 3, 1), today=date(2027, 3, 5))
        admin.timezone = "UTC"
        assert promotions.effective_date(
            packet, admin, date(2027, 3, 1), today=date(2027, 3, 5)
        ) == date(2027, 3, 1)
        assert promotions.effective_date(packet, admin, None, today=date(2027, 3, 5)) == date(
            2027, 3, 5
        )


@pytest.mark.parametrize(
    ("effective_on", "words"),
    [
        ("not-a-date", "YYYY-MM-DD"),
        ("2026-02-30", "YYYY-MM-DD"),
        ("yesterday", "YYYY-MM-DD"),
        ("before", "before the packet was submitted"),
        ("far", "at most a year ahead"),
    ],
)
def test_bad_effective_dates_in_the_api_are_422_naming_the_field(
    app, client, users, promotion_objects, effective_on, words
):
    packet_id = promotion_objects["submitted_packet_id"]
    today = _today(app, users["admin"])
    given = {
        "before": (today - timedelta(days=1)).isoformat(),
        "far": (today + timedelta(days=367)).isoformat(),
    }.get(effective_on, effective_on)
    response = client.post(
        f"{API}/promotions/{packet_id}/decision",
        headers=bearer(app, users["admin"]),
        json={"decision": "approve", "effective_on": given, "version": 1},
    )
    body = response.get_json()
    assert response.status_code == 422, body
    assert set(body["error"]["fields"]) == {"effective_on"}
    assert words in " ".join(body["error"]["fields"]["effective_on"])
    assert _packet(app, packet_id).status == "submitted"
    assert _spans(app, users["interviewer"]) == []


def test_a_decline_takes_no_effective_date(app, client, users, promotion_objects):
    packet_id = promotion_objects["submitted_packet_id"]
    response = client.post(
        f"{API}/promotions/{packet_id}/decision",
        headers=bearer(app, users["admin"]),
        json={
            "decision": "decline",
            "comment": "Not yet.",
            "effective_on": _today(app, users["admin"]).isoformat(),
            "version": _packet(app, packet_id).version,
        },
    )
    assert response.status_code == 422
    assert set(response.get_json()["error"]["fields"]) == {"effective_on"}


def test_a_stale_approval_in_the_api_is_409(app, client, users, promotion_objects):
    packet_id = promotion_objects["submitted_packet_id"]
    response = client.post(
        f"{API}/promotions/{packet_id}/decision",
        headers=bearer(app, users["admin"]),
        json={
            "decision": "approve",
            "effective_on": _today(app, users["admin"]).isoformat(),
            "version": _packet(app, packet_id).version - 1,
        },
    )
    assert response.status_code == 409
    assert _spans(app, users["interviewer"]) == []


@pytest.mark.parametrize(
    ("given", "words"), [("31/02/2026", "Not a valid date"), ("before", "before the packet")]
)
def test_bad_effective_dates_on_the_page_are_422_at_the_field(
    app, client, users, promotion_objects, given, words
):
    packet_id = promotion_objects["submitted_packet_id"]
    if given == "before":
        given = (_today(app, users["admin"]) - timedelta(days=1)).isoformat()
    login_as(app, client, users["admin"])
    response = client.post(
        f"/promotions/{packet_id}/decision",
        data={
            "decision": "approve",
            "effective_on": given,
            "version": _packet(app, packet_id).version,
        },
    )
    assert response.status_code == 422
    assert 'id="effective_on-help" class="field-error"' in response.text
    assert words in response.text
    assert _packet(app, packet_id).status == "submitted"


# --- the admin's placement edit ----------------------------------------------------------


def _placement(app, client, user_id, **data):
    with app.app_context():
        version = _user(user_id).version
    return client.post(
        f"/admin/users/{user_id}/placement",
        data={"version": version, "manager_id": 0, "specialty_id": "", **data},
    )


def test_an_admin_level_change_records_a_changed_span(app, client, users):
    member = users["team_member"]
    today = _today(app, users["admin"])
    login_as(app, client, users["admin"])
    response = _placement(app, client, member, level_id="csm", level_since="2025-03-01")
    assert response.status_code == 302
    assert _spans(app, member) == [("csm", None, date(2025, 3, 1), None, "changed", None)]
    # A new level and a specialty, no date: from today; the span before ends yesterday.
    response = _placement(
        app, client, member, level_id="senior-csm", specialty_id="strategic", level_since=""
    )
    assert response.status_code == 302
    assert _spans(app, member) == [
        ("csm", None, date(2025, 3, 1), today - timedelta(days=1), "changed", None),
        ("senior-csm", "strategic", today, None, "changed", None),
    ]
    with app.app_context():
        user = _user(member)
        assert (user.level_id, user.specialty_id, user.level_since) == (
            "senior-csm",
            "strategic",
            today,
        )
    actions = [e.action for e in _actions(app, "user", member)]
    assert actions.count("user.level") == 2 and actions.count("user.placement") == 2


def test_only_the_manager_changing_records_no_span(app, client, users):
    member = users["team_member"]
    login_as(app, client, users["admin"])
    _placement(app, client, member, level_id="csm", level_since="2025-03-01")
    response = _placement(
        app,
        client,
        member,
        level_id="csm",
        level_since="2025-03-01",
        manager_id=users["hiring_manager"],
    )
    assert response.status_code == 302
    assert len(_spans(app, member)) == 1
    with app.app_context():
        assert _user(member).manager_id == users["hiring_manager"]


def test_a_new_level_since_for_the_same_level_corrects_the_span(app, client, users):
    member = users["team_member"]
    _hire(app, member, "csm")
    login_as(app, client, users["admin"])
    _placement(app, client, member, level_id="senior-csm", level_since="2025-03-01")
    response = _placement(app, client, member, level_id="senior-csm", level_since="2025-02-10")
    assert response.status_code == 302
    assert _spans(app, member) == [
        ("csm", None, HIRED_ON, date(2025, 2, 9), "hired", None),
        ("senior-csm", None, date(2025, 2, 10), None, "changed", None),
    ]
    with app.app_context():
        assert _user(member).level_since == date(2025, 2, 10)
    assert "user.level_since" in [e.action for e in _actions(app, "user", member)]
    # Not as far back as the level before began.
    response = _placement(app, client, member, level_id="senior-csm", level_since="2024-01-08")
    assert response.status_code == 422
    assert "must be after 8 January 2024" in response.text


@pytest.mark.parametrize(
    ("level_since", "words"),
    [
        ("tomorrow", "cannot be in the future"),
        ("2025-13-01", "Not a valid date"),
        ("early", "cannot be before the start of the level in effect"),
    ],
)
def test_bad_level_since_dates_are_422_at_the_field(app, client, users, level_since, words):
    member = users["team_member"]
    _hire(app, member, "csm", starts_on=date(2025, 1, 6))
    today = _today(app, users["admin"])
    given = {
        "tomorrow": (today + timedelta(days=1)).isoformat(),
        "early": "2024-12-31",
    }.get(level_since, level_since)
    login_as(app, client, users["admin"])
    response = _placement(app, client, member, level_id="senior-csm", level_since=given)
    assert response.status_code == 422
    assert 'id="level_since-help" class="field-error"' in response.text
    assert words in response.text
    assert [s[0] for s in _spans(app, member)] == ["csm"]


def test_a_stale_placement_is_409_and_changes_nothing(app, client, users):
    member = users["team_member"]
    login_as(app, client, users["admin"])
    with app.app_context():
        version = _user(member).version
    response = client.post(
        f"/admin/users/{member}/placement",
        data={"version": version - 1, "level_id": "csm", "manager_id": 0},
    )
    assert response.status_code == 409
    assert "changed by someone else" in response.text
    assert _spans(app, member) == []


def test_clearing_the_level_ends_the_history(app, client, users):
    member = users["team_member"]
    _hire(app, member, "csm")
    today = _today(app, users["admin"])
    login_as(app, client, users["admin"])
    response = _placement(app, client, member, level_id="", level_since="")
    assert response.status_code == 302
    assert _spans(app, member) == [
        ("csm", None, HIRED_ON, today - timedelta(days=1), "hired", None)
    ]
    with app.app_context():
        user = _user(member)
        assert (user.level_id, user.level_since) == (None, None)


# --- a person's last day -----------------------------------------------------------------


def _left(app, client, user_id, left_on, version=None):
    if version is None:
        with app.app_context():
            version = _user(user_id).version
    return client.post(
        f"/admin/users/{user_id}/left", data={"left_on": left_on, "version": version}
    )


def test_an_admin_records_a_last_day_audited(app, client, users):
    member = users["team_member"]
    _hire(app, member, "csm")
    login_as(app, client, users["admin"])
    response = _left(app, client, member, "2025-11-30")
    assert response.status_code == 302
    with app.app_context():
        assert _user(member).left_on == date(2025, 11, 30)
    (event,) = [e for e in _actions(app, "user", member) if e.action == "user.left"]
    assert event.summary == {"left_on": {"before": None, "after": "2025-11-30"}}
    assert event.actor_id == users["admin"]
    page = client.get(f"/admin/users/{member}").text
    assert 'Last day: <time datetime="2025-11-30">30 November 2025</time>' in page
    # Cleared again (they did not leave after all).
    assert _left(app, client, member, "").status_code == 302
    with app.app_context():
        assert _user(member).left_on is None


@pytest.mark.parametrize(
    ("left_on", "words"),
    [
        ("2025-02-31", "Not a valid date"),
        ("2023-12-31", "first level began (8 January 2024)"),
        ("far", "at most a year ahead"),
    ],
)
def test_bad_last_days_are_422_at_the_field(app, client, users, left_on, words):
    member = users["team_member"]
    _hire(app, member, "csm")
    if left_on == "far":
        left_on = (_today(app, users["admin"]) + timedelta(days=367)).isoformat()
    login_as(app, client, users["admin"])
    response = _left(app, client, member, left_on)
    assert response.status_code == 422
    assert 'id="left_on-help" class="field-error"' in response.text
    assert words in response.text
    with app.app_context():
        assert _user(member).left_on is None


def test_a_stale_last_day_is_409(app, client, users):
    member = users["team_member"]
    login_as(app, client, users["admin"])
    with app.app_context():
        version = _user(member).version
    response = _left(app, client, member, "2025-11-30", version=version - 1)
    assert response.status_code == 409
    with app.app_context():
        assert _user(member).left_on is None
    assert not [e for e in _actions(app, "user", member) if e.action == "user.left"]


def test_only_admins_record_a_last_day(app, client, users):
    member = users["team_member"]
    login_as(app, client, users["hiring_manager"])
    assert _left(app, client, member, "2025-11-30").status_code == 403
    with app.app_context():
        assert _user(member).left_on is None


# --- My path, a person's path, GET /api/v1/me --------------------------------------------


def _promoted_member(app, users) -> date:
    """The team member: hired as csm on 8 Jan 2024, promoted to senior-csm (strategic)
    on 1 Jul 2025, managed by the hiring manager."""
    member = users["team_member"]
    _hire(app, member, "csm")
    with app.app_context():
        user = _user(member)
        user.manager_id = users["hiring_manager"]
        levels.start_level(
            user,
            level_id="senior-csm",
            specialty_id="strategic",
            starts_on=date(2025, 7, 1),
            reason=LevelReason.PROMOTED,
            actor=None,
            today=date(2025, 7, 1),
        )
        db.session.commit()
    return date(2025, 7, 1)


def _history_table(page: str) -> str:
    start = page.index('id="history-heading"')
    return page[start : page.index("</table>", start)]


def test_my_path_shows_the_history_newest_first(app, client, users):
    _promoted_member(app, users)
    login_as(app, client, users["team_member"])
    page = client.get("/careers/me").text
    table = _history_table(page)
    newest = table.index("Senior CSM")
    oldest = table.index("Customer Success Manager (CSM) (Intermediate)")
    assert newest < oldest
    assert "<td>Strategic</td>" in table
    assert '<time datetime="2025-07-01">1 July 2025</time>' in table
    assert "<td>now</td>" in table
    assert '<time datetime="2025-06-30">30 June 2025</time>' in table
    assert "<td>promoted</td>" in table and "<td>hired</td>" in table
    assert '<th scope="col">Why</th>' in table
    assert '<dd class="time-in-level">' in page


def test_a_change_by_an_admin_reads_as_such(app, client, users):
    member = users["team_member"]
    login_as(app, client, users["admin"])
    _placement(app, client, member, level_id="csm", level_since="2025-03-01")
    login_as(app, client, member)
    assert "<td>changed by an admin</td>" in _history_table(client.get("/careers/me").text)


def test_a_new_hire_before_the_first_day_sees_the_path_they_start_on(app, client, users):
    start = date.today() + timedelta(days=30)
    with app.app_context():
        member = db.session.get(User, users["team_member"])
        levels.start_level(
            member,
            level_id="staff-csm",
            specialty_id=None,
            starts_on=start,
            reason=LevelReason.HIRED,
            actor=None,
            today=date.today(),
        )
        db.session.commit()
        assert member.level_id is None
    login_as(app, client, users["team_member"])
    page = client.get("/careers/me").text
    assert "Where you start" in page
    assert f'You start as Staff CSM on <time datetime="{start.isoformat()}">' in page
    assert "has not been set yet" not in page
    assert 'id="next-heading"' in page  # the next steps from the level they start at


def test_my_path_without_history_says_so(app, client, users):
    login_as(app, client, users["team_member"])
    page = client.get("/careers/me").text
    assert "No level history is recorded yet." in page


@pytest.mark.parametrize("viewer", ["hiring_manager", "admin"])
def test_the_manager_and_admins_see_a_persons_path_audited(app, client, users, viewer):
    _promoted_member(app, users)
    member = users["team_member"]
    login_as(app, client, users[viewer])
    response = client.get(f"/careers/people/{member}")
    assert response.status_code == 200
    assert "<h1>Team_Member's path</h1>" in response.text
    table = _history_table(response.text)
    assert "<td>promoted</td>" in table and "<td>hired</td>" in table
    reads = [
        e
        for e in _actions(app, "user", member)
        if e.action == "user.level_history_view" and e.actor_id == users[viewer]
    ]
    assert len(reads) == 1


@pytest.mark.parametrize("viewer", ["recruiter", "interviewer"])
def test_anyone_else_gets_404_for_a_persons_path(app, client, users, viewer):
    _promoted_member(app, users)
    member = users["team_member"]
    login_as(app, client, users[viewer])
    assert client.get(f"/careers/people/{member}").status_code == 404
    assert client.get("/careers/people/999999").status_code == 404
    denied = [e for e in _actions(app, "user", member) if e.action == "access.denied"]
    assert len(denied) == 1


def test_the_person_is_sent_to_my_path(app, client, users):
    login_as(app, client, users["team_member"])
    response = client.get(f"/careers/people/{users['team_member']}")
    assert response.status_code == 302 and response.headers["Location"].endswith("/careers/me")


def test_a_persons_path_reads_a_constant_number_of_rows(app, client, users, count_queries):
    member = _promoted_member(app, users) and users["team_member"]
    login_as(app, client, users["hiring_manager"])
    with count_queries() as few:
        assert client.get(f"/careers/people/{member}").status_code == 200
    with app.app_context():
        user = _user(member)
        for year in range(2026, 2036):
            levels.start_level(
                user,
                level_id="staff-csm" if year % 2 else "senior-csm",
                specialty_id=None,
                starts_on=date(year, 1, 1),
                reason=LevelReason.CHANGED,
                actor=None,
                today=date(2025, 7, 2),
            )
        db.session.commit()
    with count_queries() as many:
        assert client.get(f"/careers/people/{member}").status_code == 200
    assert many.count == few.count


def test_me_in_the_api_carries_the_level_and_its_history(app, client, users):
    _promoted_member(app, users)
    response = client.get(f"{API}/me", headers=bearer(app, users["team_member"]))
    body = response.get_json()
    assert response.status_code == 200
    assert body["level"] == {"id": "senior-csm", "title": "Senior CSM"}
    assert body["specialty"] == {"id": "strategic", "name": "Strategic"}
    assert body["level_since"] == "2025-07-01"
    assert body["level_history"] == [
        {
            "level_id": "senior-csm",
            "level_title": "Senior CSM",
            "specialty_id": "strategic",
            "starts_on": "2025-07-01",
            "ends_on": None,
            "reason": "promoted",
        },
        {
            "level_id": "csm",
            "level_title": "Customer Success Manager (CSM) (Intermediate)",
            "specialty_id": None,
            "starts_on": "2024-01-08",
            "ends_on": "2025-06-30",
            "reason": "hired",
        },
    ]


def test_me_without_a_level(app, client, users):
    body = client.get(f"{API}/me", headers=bearer(app, users["recruiter"])).get_json()
    assert (body["level"], body["specialty"], body["level_since"], body["level_history"]) == (
        None,
        None,
        None,
        [],
    )


def test_history_rows_are_stored_with_what_they_came_from(app, users, promotion_objects):
    person = users["interviewer"]
    packet_id = promotion_objects["submitted_packet_id"]
    with app.app_context():
        view = promotions.load_packet(_user(users["admin"]), packet_id)
        assert view is not None
        promotions.decide(
            view, _user(users["admin"]), Decision.APPROVE, None, expected_version=None
        )
        row = db.session.scalars(select(LevelSpan).where(LevelSpan.user_id == person)).one()
        assert (row.packet_id, row.recorded_by_id, row.reason) == (
            packet_id,
            users["admin"],
            LevelReason.PROMOTED,
        )
