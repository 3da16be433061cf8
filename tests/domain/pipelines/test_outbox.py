"""The outbox's rules: the retry schedule, what a failure leads to, who gets what how."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest

from pipelines.outbox import (
    FIRST_RETRY,
    KINDS,
    KINDS_BY_KEY,
    LONGEST_RETRY,
    MAX_ATTEMPTS,
    PENDING,
    Delivery,
    MessageStatus,
    after_failure,
    delivery_for,
    retry_delay,
)

NOW = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("attempts", "minutes"),
    [(1, 1), (2, 2), (3, 4), (4, 8), (5, 16), (6, 32), (7, 64), (8, 128), (9, 256)],
)
def test_the_retry_delay_doubles_from_one_minute(attempts, minutes):
    assert retry_delay(attempts) == timedelta(minutes=minutes)


@pytest.mark.parametrize("attempts", [10, 11, 30, 31, 1000, 10**9])
def test_the_retry_delay_never_passes_the_cap(attempts):
    assert retry_delay(attempts) == LONGEST_RETRY == timedelta(hours=6)


def test_each_delay_is_twice_the_one_before_until_the_cap():
    delays = [retry_delay(n) for n in range(1, 15)]
    assert delays[0] == FIRST_RETRY
    for before, after in itertools.pairwise(delays):
        assert after == min(before * 2, LONGEST_RETRY)


@pytest.mark.parametrize("attempts", [0, -1])
def test_the_retry_delay_counts_failed_attempts_from_one(attempts):
    with pytest.raises(ValueError, match="starting at 1"):
        retry_delay(attempts)


def test_a_temporary_failure_waits_in_the_queue():
    after = after_failure(3, NOW, permanent=False)
    assert after.status is MessageStatus.QUEUED
    assert after.due_at == NOW + timedelta(minutes=4)


def test_a_permanent_refusal_is_dead_at_once_whatever_the_attempts():
    after = after_failure(1, NOW, permanent=True)
    assert after.status is MessageStatus.DEAD and after.due_at is None


def test_the_last_attempt_makes_the_message_dead():
    assert after_failure(MAX_ATTEMPTS - 1, NOW, permanent=False).status is MessageStatus.QUEUED
    assert after_failure(MAX_ATTEMPTS, NOW, permanent=False).status is MessageStatus.DEAD
    assert after_failure(MAX_ATTEMPTS + 5, NOW, permanent=False).status is MessageStatus.DEAD


def test_the_number_of_attempts_can_be_chosen():
    assert after_failure(2, NOW, permanent=False, max_attempts=2).status is MessageStatus.DEAD
    assert after_failure(1, NOW, permanent=False, max_attempts=2).status is MessageStatus.QUEUED


@pytest.mark.parametrize(
    ("preferences", "expected"),
    [
        (None, Delivery.IMMEDIATE),
        ({}, Delivery.IMMEDIATE),
        ({"scorecard_reminder": "digest"}, Delivery.DIGEST),
        ({"scorecard_reminder": "off"}, Delivery.OFF),
        ({"scorecard_reminder": "immediate"}, Delivery.IMMEDIATE),
        # A damaged preference counts as the default, never as "off".
        ({"scorecard_reminder": "sometimes"}, Delivery.IMMEDIATE),
        ({"scorecard_reminder": ""}, Delivery.IMMEDIATE),
        # Another kind's choice does not apply.
        ({"packet_submitted": "off"}, Delivery.IMMEDIATE),
    ],
)
def test_a_choosable_kind_follows_the_persons_choice(preferences, expected):
    assert delivery_for("scorecard_reminder", preferences) is expected


@pytest.mark.parametrize("kind", [k.key for k in KINDS if not k.choosable])
def test_messages_that_are_not_choosable_always_go_right_away(kind):
    assert delivery_for(kind, {kind: "off"}) is Delivery.IMMEDIATE
    assert delivery_for(kind, {kind: "digest"}) is Delivery.IMMEDIATE


def test_an_unknown_kind_goes_right_away():
    assert delivery_for("no_such_kind", {"no_such_kind": "off"}) is Delivery.IMMEDIATE


def test_kinds_are_unique_and_indexed():
    assert len(KINDS_BY_KEY) == len(KINDS)
    assert all(KINDS_BY_KEY[k.key] is k for k in KINDS)


def test_every_state_and_choice_has_a_label_and_pending_is_what_may_still_go_out():
    assert all(status.label for status in MessageStatus)
    assert all(choice.label for choice in Delivery)
    assert {
        MessageStatus.QUEUED,
        MessageStatus.SENDING,
        MessageStatus.HELD,
    } == PENDING
