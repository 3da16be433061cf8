"""Who is told what when an interview is scheduled, moved or called off (pure rules)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

import pytest

from pipelines.interview_invitations import (
    Arrangement,
    Method,
    Reason,
    cancellation,
    messages_for,
    skipped_time,
)
from pipelines.timezones import zone_problem

AT = datetime(2026, 12, 1, 15, 0, tzinfo=UTC)
ON = Arrangement(AT, 30, "Room 4", (1, 2))
UNTIMED = Arrangement(None, 30, None, (1, 2))


def told(arrangement_before, arrangement_after, **kwargs):
    messages = messages_for(arrangement_before, arrangement_after, **kwargs)
    return dict(messages.interviewers), messages


def test_a_new_interview_with_a_time_invites_everyone() -> None:
    who, messages = told(None, ON)
    assert who == {1: Reason.INVITED, 2: Reason.INVITED}
    assert messages.changed and messages.candidate is None


def test_a_new_interview_without_a_time_sends_nothing() -> None:
    who, messages = told(None, UNTIMED)
    assert who == {} and messages.changed and not messages.any


def test_nothing_changed_sends_nothing() -> None:
    who, messages = told(ON, replace(ON))
    assert who == {} and not messages.changed and not messages.any


def test_the_same_people_in_another_order_and_the_same_instant_elsewhere_are_no_change() -> None:
    paris = AT.astimezone(timezone(timedelta(hours=1)))
    _who, messages = told(ON, replace(ON, starts_at=paris, interviewer_ids=(2, 1)))
    assert not messages.changed


@pytest.mark.parametrize(
    "change",
    [
        {"starts_at": AT + timedelta(hours=1)},
        {"location": "Video call"},
        {"location": None},
        {"duration_minutes": 60},
    ],
    ids=["time", "place", "place removed", "length"],
)
def test_a_new_time_place_or_length_updates_everyone(change) -> None:
    who, messages = told(ON, replace(ON, **change))
    assert who == {1: Reason.UPDATED, 2: Reason.UPDATED}
    assert messages.changed
    assert all(reason.method is Method.REQUEST for reason in who.values())


def test_only_people_changed_invites_the_new_and_cancels_the_removed() -> None:
    who, messages = told(ON, replace(ON, interviewer_ids=(1, 3)))
    assert who == {3: Reason.INVITED, 2: Reason.REMOVED}
    assert Reason.REMOVED.method is Method.CANCEL
    assert messages.changed


def test_a_move_with_people_changed_updates_those_who_stay() -> None:
    who, _ = told(ON, replace(ON, starts_at=AT + timedelta(days=1), interviewer_ids=(1, 3)))
    assert who == {1: Reason.UPDATED, 3: Reason.INVITED, 2: Reason.REMOVED}


def test_taking_the_time_off_cancels_everyones_copy() -> None:
    who, messages = told(ON, replace(ON, starts_at=None, interviewer_ids=(1,)))
    assert who == {1: Reason.UNSCHEDULED, 2: Reason.REMOVED}
    assert {reason.method for reason in who.values()} == {Method.CANCEL}
    assert messages.changed


def test_setting_a_time_later_invites_everyone() -> None:
    who, _ = told(UNTIMED, replace(UNTIMED, starts_at=AT))
    assert who == {1: Reason.INVITED, 2: Reason.INVITED}


def test_people_changed_without_a_time_send_nothing_but_count_as_a_change() -> None:
    who, messages = told(UNTIMED, replace(UNTIMED, interviewer_ids=(1, 3)))
    assert who == {} and messages.changed


def test_a_cancellation_cancels_everyones_copy() -> None:
    messages = cancellation(ON)
    assert dict(messages.interviewers) == {1: Reason.CANCELLED, 2: Reason.CANCELLED}
    assert messages.changed and messages.candidate is None


def test_cancelling_an_interview_without_a_time_tells_nobody() -> None:
    messages = cancellation(UNTIMED, candidate_invited=False)
    assert messages.changed and not messages.any


def test_scheduling_a_cancelled_interview_again_invites_everyone_afresh() -> None:
    cancelled = replace(ON, cancelled=True)
    who, messages = told(cancelled, ON)
    assert who == {1: Reason.INVITED, 2: Reason.INVITED}
    assert messages.changed


# --- the candidate ---------------------------------------------------------------------


def test_the_candidate_is_invited_only_when_chosen() -> None:
    assert messages_for(None, ON).candidate is None
    assert messages_for(None, ON, invite_candidate=True).candidate is Reason.INVITED


def test_choosing_to_invite_the_candidate_later_sends_only_theirs() -> None:
    messages = messages_for(ON, replace(ON), invite_candidate=True)
    assert messages.candidate is Reason.INVITED
    assert messages.interviewers == () and not messages.changed


def test_an_invited_candidate_gets_the_update_without_being_chosen_again() -> None:
    moved = replace(ON, starts_at=AT + timedelta(days=1))
    assert messages_for(ON, moved, candidate_invited=True).candidate is Reason.UPDATED
    assert messages_for(ON, replace(ON), candidate_invited=True).candidate is None
    assert (
        messages_for(ON, replace(ON), candidate_invited=True, invite_candidate=True).candidate
        is None
    )


def test_a_change_of_interviewers_is_not_the_candidates_business() -> None:
    others = replace(ON, interviewer_ids=(3,))
    assert messages_for(ON, others, candidate_invited=True).candidate is None


def test_an_invited_candidate_gets_the_cancellation() -> None:
    assert cancellation(ON, candidate_invited=True).candidate is Reason.CANCELLED
    untimed = replace(ON, starts_at=None)
    assert messages_for(ON, untimed, candidate_invited=True).candidate is Reason.UNSCHEDULED
    assert cancellation(ON, candidate_invited=False).candidate is None


def test_a_candidate_without_a_time_is_not_invited() -> None:
    assert messages_for(None, UNTIMED, invite_candidate=True).candidate is None


# --- times typed in a zone --------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "zone_name", "skipped"),
    [
        (datetime(2026, 3, 29, 2, 30), "Europe/Berlin", True),
        (datetime(2026, 3, 29, 2, 0), "Europe/Berlin", True),
        (datetime(2026, 3, 29, 1, 59), "Europe/Berlin", False),
        (datetime(2026, 3, 29, 3, 0), "Europe/Berlin", False),
        # Clocks going back: 02:30 exists (twice), it is not skipped.
        (datetime(2026, 10, 25, 2, 30), "Europe/Berlin", False),
        (datetime(2026, 3, 8, 2, 30), "America/New_York", True),
        (datetime(2026, 3, 29, 2, 30), "UTC", False),
        (datetime(2026, 3, 29, 2, 30), None, False),
    ],
)
def test_skipped_times(typed: datetime, zone_name: str | None, skipped: bool) -> None:
    assert skipped_time(typed, zone_name) is skipped


def test_skipped_time_uses_the_default_zone_when_none_is_named() -> None:
    assert skipped_time(datetime(2026, 3, 29, 2, 30), None, "Europe/Berlin") is True


def test_skipped_time_wants_a_wall_clock_time() -> None:
    with pytest.raises(ValueError, match="naive"):
        skipped_time(AT, "Europe/Berlin")


@pytest.mark.parametrize("name", [None, "", "  ", "Europe/Berlin", "UTC", "America/New_York"])
def test_known_or_empty_zones_are_fine(name: str | None) -> None:
    assert zone_problem(name) is None


@pytest.mark.parametrize("name", ["Berlin", "Mars/Olympus", "../etc/passwd", "CET+1"])
def test_unknown_zones_are_named_in_the_message(name: str) -> None:
    problem = zone_problem(name)
    assert problem is not None
    assert repr(name) in problem and "Europe/Berlin" in problem
