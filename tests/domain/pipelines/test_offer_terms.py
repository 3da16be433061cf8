"""An offer's terms and who moves it: the level within the leveling rules, currency and
amounts, the approval policy, the moves each viewer is offered, the hire and the headcount."""

from __future__ import annotations

import pytest

from pipelines.offers import (
    ApprovalPolicy,
    OfferError,
    OfferMove,
    OfferStatus,
    changed_fields,
    check_amount,
    check_currency,
    check_hire,
    check_offer_level,
    is_filled,
    moves_for,
    needs_approval,
)

OPTIONS = ("csm", "senior-csm", "staff-csm")


def test_the_offer_is_at_the_decisions_level_by_default() -> None:
    assert check_offer_level(OPTIONS, decided="staff-csm", chosen=None, may_relevel=False) == (
        "staff-csm"
    )
    assert (
        check_offer_level(OPTIONS, decided="staff-csm", chosen="staff-csm", may_relevel=False)
        == "staff-csm"
    )


def test_another_level_within_the_rules_by_the_hiring_manager() -> None:
    assert check_offer_level(OPTIONS, decided="senior-csm", chosen="csm", may_relevel=True) == "csm"


def test_another_level_by_the_recruiter_is_refused() -> None:
    with pytest.raises(OfferError, match="Only the hiring manager"):
        check_offer_level(OPTIONS, decided="senior-csm", chosen="csm", may_relevel=False)


def test_a_level_outside_the_rules_is_refused() -> None:
    with pytest.raises(OfferError, match="not principal-csm"):
        check_offer_level(OPTIONS, decided="senior-csm", chosen="principal-csm", may_relevel=True)


def test_currency_is_three_letters() -> None:
    assert check_currency(" eur ") == "EUR"
    assert check_currency("") is None
    assert check_currency(None) is None
    for bad in ("EU", "EURO", "E1R", "€"):
        with pytest.raises(OfferError, match="ISO 4217"):
            check_currency(bad)


def test_amounts_are_not_negative() -> None:
    assert check_amount("base salary", 0) == 0
    assert check_amount("bonus", None) is None
    with pytest.raises(OfferError, match="bonus cannot be negative"):
        check_amount("bonus", -1)
    with pytest.raises(OfferError, match="at most"):
        check_amount("base salary", 2**31)


def test_approval_policy() -> None:
    assert needs_approval(ApprovalPolicy.ALWAYS, asked=False) is True
    assert needs_approval(ApprovalPolicy.OPTIONAL, asked=False) is False
    assert needs_approval(ApprovalPolicy.OPTIONAL, asked=True) is True


def test_changed_fields_name_the_fields_only() -> None:
    before = {"base_salary": 90_000, "currency": "EUR", "location": "Berlin"}
    after = {"base_salary": 95_000, "currency": "EUR", "location": None, "bonus": 5}
    assert changed_fields(before, after) == ("base_salary", "bonus", "location")


def test_moves_offered_to_a_writer_and_to_an_admin() -> None:
    draft = OfferStatus.DRAFT
    assert moves_for(draft, needs_approval=True, may_write=True, is_admin=False) == (
        OfferMove.ASK_APPROVAL,
        OfferMove.WITHDRAW,
    )
    assert moves_for(draft, needs_approval=False, may_write=True, is_admin=False) == (
        OfferMove.EXTEND,
        OfferMove.WITHDRAW,
    )
    waiting = OfferStatus.AWAITING_APPROVAL
    assert moves_for(waiting, needs_approval=True, may_write=True, is_admin=False) == (
        OfferMove.WITHDRAW,
    )
    assert moves_for(waiting, needs_approval=True, may_write=False, is_admin=True) == (
        OfferMove.APPROVE,
        OfferMove.REJECT,
    )
    assert moves_for(OfferStatus.EXTENDED, needs_approval=True, may_write=True, is_admin=True) == (
        OfferMove.ACCEPT,
        OfferMove.DECLINE,
        OfferMove.WITHDRAW,
    )
    # A reader who writes nothing is offered nothing.
    assert (
        moves_for(OfferStatus.EXTENDED, needs_approval=False, may_write=False, is_admin=False) == ()
    )
    assert (
        moves_for(OfferStatus.ACCEPTED, needs_approval=False, may_write=True, is_admin=True) == ()
    )


@pytest.mark.parametrize("status", [s for s in OfferStatus if s is not OfferStatus.ACCEPTED])
def test_only_an_accepted_offer_is_hired(status: OfferStatus) -> None:
    with pytest.raises(OfferError, match="accepted"):
        check_hire(status)
    check_hire(OfferStatus.ACCEPTED)


def test_filled_at_headcount() -> None:
    assert [is_filled(hires, 2) for hires in range(4)] == [False, False, True, True]
