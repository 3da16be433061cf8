"""An offer's states: approval before extending when asked, answers only once extended."""

from __future__ import annotations

from datetime import date

import pytest

from pipelines.offers import (
    OfferError,
    OfferMove,
    OfferStatus,
    OfferViewer,
    can_see_compensation,
    check_editable,
    check_start_date,
    next_status,
)

D, A, AP, E = (
    OfferStatus.DRAFT,
    OfferStatus.AWAITING_APPROVAL,
    OfferStatus.APPROVED,
    OfferStatus.EXTENDED,
)


def test_with_approval_the_offer_waits_for_an_admin() -> None:
    with pytest.raises(OfferError, match="approval"):
        next_status(D, OfferMove.EXTEND, needs_approval=True)
    status = next_status(D, OfferMove.ASK_APPROVAL, needs_approval=True)
    assert status is A
    assert next_status(A, OfferMove.REJECT, needs_approval=True) is D
    status = next_status(A, OfferMove.APPROVE, needs_approval=True)
    assert next_status(status, OfferMove.EXTEND, needs_approval=True) is E


def test_without_approval_a_draft_is_extended() -> None:
    assert next_status(D, OfferMove.EXTEND, needs_approval=False) is E
    with pytest.raises(OfferError, match="does not need approval"):
        next_status(D, OfferMove.ASK_APPROVAL, needs_approval=False)


@pytest.mark.parametrize("move", [OfferMove.ACCEPT, OfferMove.DECLINE])
def test_only_an_extended_offer_is_answered(move: OfferMove) -> None:
    with pytest.raises(OfferError, match="draft"):
        next_status(D, move, needs_approval=False)
    assert not next_status(E, move, needs_approval=False).is_open


def test_a_closed_offer_cannot_be_withdrawn() -> None:
    assert next_status(E, OfferMove.WITHDRAW, needs_approval=False) is OfferStatus.WITHDRAWN
    with pytest.raises(OfferError, match="accepted"):
        next_status(OfferStatus.ACCEPTED, OfferMove.WITHDRAW, needs_approval=False)


def test_terms_change_in_draft_only() -> None:
    check_editable(D)
    with pytest.raises(OfferError, match="extended"):
        check_editable(E)


def test_compensation_is_for_the_requisitions_people_and_admins() -> None:
    people = {"recruiter_id": 1, "hiring_manager_id": 2}
    assert can_see_compensation(OfferViewer(1, False), **people)
    assert can_see_compensation(OfferViewer(2, False), **people)
    assert can_see_compensation(OfferViewer(9, True), **people)
    assert not can_see_compensation(OfferViewer(3, False), **people)


def test_start_date_is_required_and_not_past() -> None:
    today = date(2026, 12, 2)
    with pytest.raises(OfferError, match="needs a start date"):
        check_start_date(None, today=today)
    with pytest.raises(OfferError, match="2026-12-01"):
        check_start_date(date(2026, 12, 1), today=today)
    assert check_start_date(today, today=today) == today
