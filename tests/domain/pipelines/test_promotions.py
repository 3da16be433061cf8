"""Promotion packets as pure rules: targets, the template from the diff, workflow, people."""

from __future__ import annotations

import pytest

from ladder.model import Ladder
from ladder.resolve import UnknownIdError, diff_levels, other_track_levels, resolve_level
from ladder.resolve import applicable_specialty as target_specialty
from pipelines.promotions import (
    JUSTIFICATION_KEY,
    MAX_TEXT,
    Decision,
    IncompletePacketError,
    InvalidTargetError,
    MoveKind,
    PacketStateError,
    PacketStatus,
    People,
    PromotionError,
    SectionKind,
    build_template,
    can_decide,
    can_edit,
    can_read,
    can_start,
    can_withdraw,
    check_decision,
    check_submit,
    check_text,
    check_withdraw,
    classify_move,
    missing_evidence,
    promotion_targets,
)

# --- the other track ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("level_id", "expected"),
    [
        ("staff-csm", ["manager-csm"]),
        ("csm", ["manager-csm"]),
        # Manager and Senior Manager share grade 9; the switch lands on the one the other
        # builds on. Both IC ladders of the family have a grade-9 level.
        ("manager-csm", ["staff-csm", "staff-cse"]),
        ("director-csm", []),  # no IC level at grade 10 or above
        ("cse", []),  # no grade, no switch
        ("director-cs", []),  # a family with one track
    ],
)
def test_other_track_levels(ladder: Ladder, level_id: str, expected: list[str]) -> None:
    assert [level.id for level in other_track_levels(ladder, level_id)] == expected


# --- moves and targets -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "target", "move"),
    [
        ("csm", "senior-csm", MoveKind.NEXT_IN_TRACK),
        ("staff-csm", "manager-csm", MoveKind.OTHER_TRACK),
        ("csm", "staff-csm", MoveKind.SAME_FAMILY),
        ("senior-csm", "senior-csa", MoveKind.OTHER_FAMILY),
        ("senior-manager-csm", "director-cs", MoveKind.NEXT_IN_TRACK),
    ],
)
def test_classify_move(ladder: Ladder, source: str, target: str, move: MoveKind) -> None:
    assert classify_move(ladder, source, target) is move


@pytest.mark.parametrize(
    ("source", "target", "words"),
    [
        ("csm", "csm", "is the current level"),
        ("senior-csm", "csm", "is below"),
        ("staff-csm", "csa", "is below"),
        ("vp-csm", "cse", "has no grade"),
    ],
)
def test_a_target_that_is_no_step_up_is_refused(
    ladder: Ladder, source: str, target: str, words: str
) -> None:
    with pytest.raises(InvalidTargetError, match=words):
        classify_move(ladder, source, target)


def test_unknown_levels_raise(ladder: Ladder) -> None:
    with pytest.raises(UnknownIdError):
        classify_move(ladder, "csm", "no-such-level")


def test_promotion_targets_put_the_likeliest_first(ladder: Ladder) -> None:
    targets = promotion_targets(ladder, "csm")
    assert [(t.level.id, t.move) for t in targets[:2]] == [
        ("senior-csm", MoveKind.NEXT_IN_TRACK),
        ("manager-csm", MoveKind.OTHER_TRACK),
    ]
    ids = [t.level.id for t in targets]
    assert "csm" not in ids and "associate-csm" not in ids
    moves = [t.move for t in targets]
    assert moves == sorted(moves, key=list(MoveKind).index)
    for target in targets:  # every target is one classify_move accepts
        assert classify_move(ladder, "csm", target.level.id) is target.move


def test_top_of_the_ladder_offers_only_the_other_familys_top(ladder: Ladder) -> None:
    # Same grade in another family is a move; a level without a grade outside the
    # track (the CSE) cannot be called a step up.
    targets = promotion_targets(ladder, "vp-csm")
    assert [(t.level.id, t.move) for t in targets] == [("vp-cs", MoveKind.OTHER_FAMILY)]


def test_target_specialty_keeps_the_specialty_where_it_applies(ladder: Ladder) -> None:
    assert target_specialty(ladder, "senior-csm", "public-sector") == "public-sector"
    assert target_specialty(ladder, "senior-csa", "public-sector") == "public-sector"
    assert target_specialty(ladder, "director-csm", "no-such") is None
    assert target_specialty(ladder, "senior-csm", None) is None


# --- the template ------------------------------------------------------------------------


def test_template_sections_are_exactly_the_new_items(ladder: Ladder) -> None:
    template = build_template(ladder, "csm", "senior-csm")
    diff = diff_levels(ladder, "csm", "senior-csm")
    added = [
        item.text
        for kind in ("responsibilities", "requirements", "performance_indicators")
        for item in diff.of(kind).added
    ]
    ladder_sections = [
        s
        for s in template.sections
        if s.kind not in (SectionKind.COMPETENCY, SectionKind.JUSTIFICATION)
    ]
    assert [s.heading for s in ladder_sections] == added
    assert all(s.required for s in ladder_sections)
    current = resolve_level(ladder, "csm")
    already = {
        item.text for kind in ("responsibilities", "requirements") for item in current.of(kind)
    }
    assert not already & {s.heading for s in ladder_sections}
    assert template.kept == sum(
        len(diff.of(kind).kept)
        for kind in ("responsibilities", "requirements", "performance_indicators")
    )


def test_template_adds_the_competencies_and_a_justification(ladder: Ladder) -> None:
    template = build_template(ladder, "csm", "senior-csm")
    competencies = [s for s in template.sections if s.kind is SectionKind.COMPETENCY]
    assert [s.heading for s in competencies][:2] == ["Communication", "Follow-through"]
    assert len(competencies) == 7 and not any(s.required for s in competencies)
    assert all(s.description for s in competencies)
    last = template.sections[-1]
    assert (last.key, last.kind, last.required) == (
        JUSTIFICATION_KEY,
        SectionKind.JUSTIFICATION,
        True,
    )


def test_template_of_another_family_uses_the_current_familys_competencies(
    ladder: Ladder,
) -> None:
    # The leadership family names no competencies: the CSM pillars still apply.
    template = build_template(ladder, "senior-manager-csm", "director-cs")
    assert template.move is MoveKind.NEXT_IN_TRACK
    assert any(s.kind is SectionKind.COMPETENCY for s in template.sections)


def test_section_keys_are_stable_and_unique(ladder: Ladder) -> None:
    first = build_template(ladder, "csm", "staff-csm")
    again = build_template(ladder, "csm", "staff-csm")
    keys = [s.key for s in first.sections]
    assert keys == [s.key for s in again.sections]
    assert len(set(keys)) == len(keys)
    assert first.section(keys[0]) is first.sections[0]


def test_template_with_a_specialty_asks_for_the_specialtys_items(ladder: Ladder) -> None:
    plain = build_template(ladder, "csm", "senior-csm")
    special = build_template(ladder, "csm", "senior-csm", None, "public-sector")
    assert special.target_specialty_id == "public-sector"
    assert len(special.sections) > len(plain.sections)


# --- the workflow ------------------------------------------------------------------------


def test_submit_lists_every_missing_required_section(ladder: Ladder) -> None:
    sections = build_template(ladder, "csm", "senior-csm").sections
    required = [s for s in sections if s.required]
    with pytest.raises(IncompletePacketError) as info:
        check_submit(PacketStatus.DRAFT, sections, {required[0].key: "Done it."})
    assert [s.key for s in info.value.missing] == [s.key for s in required[1:]]
    evidence = {s.key: "x" for s in required}
    evidence[required[-1].key] = "   "  # blank is empty
    assert missing_evidence(sections, evidence) == (required[-1],)
    evidence[required[-1].key] = "Why now."
    assert check_submit(PacketStatus.DRAFT, sections, evidence) is PacketStatus.SUBMITTED


@pytest.mark.parametrize("status", [PacketStatus.SUBMITTED, PacketStatus.APPROVED])
def test_only_a_draft_is_submitted(status: PacketStatus) -> None:
    with pytest.raises(PacketStateError, match="only a draft"):
        check_submit(status, (), {})


def test_decisions() -> None:
    assert check_decision(PacketStatus.SUBMITTED, Decision.APPROVE, "") is PacketStatus.APPROVED
    assert check_decision(PacketStatus.SUBMITTED, Decision.DECLINE, "Not yet.") is (
        PacketStatus.DECLINED
    )
    with pytest.raises(PromotionError, match="comment is required"):
        check_decision(PacketStatus.SUBMITTED, Decision.DECLINE, "  ")
    for status in (PacketStatus.DRAFT, PacketStatus.APPROVED, PacketStatus.DECLINED):
        with pytest.raises(PacketStateError):
            check_decision(status, Decision.APPROVE, "")


def test_text_limit() -> None:
    assert check_text("Evidence", "  fine  ") == "fine"
    assert check_text("Evidence", None) == ""
    with pytest.raises(PromotionError, match="limit is 20,000"):
        check_text("Evidence", "x" * (MAX_TEXT + 1))


# --- people ------------------------------------------------------------------------------

SUBJECT, AUTHOR, BOSS, ADMIN, STRANGER, NEW_MANAGER = 1, 2, 3, 4, 5, 6
PEOPLE = People(SUBJECT, AUTHOR, subject_manager_id=AUTHOR, author_manager_id=BOSS)


def test_only_the_manager_starts() -> None:
    assert can_start(AUTHOR, SUBJECT, AUTHOR)
    assert not can_start(BOSS, SUBJECT, AUTHOR)
    assert not can_start(SUBJECT, SUBJECT, SUBJECT)


def test_editors_are_the_author_and_the_current_manager() -> None:
    moved = People(SUBJECT, AUTHOR, subject_manager_id=NEW_MANAGER, author_manager_id=BOSS)
    assert can_edit(AUTHOR, moved) and can_edit(NEW_MANAGER, moved)
    assert not can_edit(SUBJECT, moved) and not can_edit(BOSS, moved)


def test_the_approver_is_the_authors_manager_or_an_admin() -> None:
    assert can_decide(BOSS, False, PEOPLE)
    assert can_decide(ADMIN, True, PEOPLE)
    assert not can_decide(STRANGER, False, PEOPLE)
    # Never the author or the person, even as admins.
    assert not can_decide(AUTHOR, True, PEOPLE)
    assert not can_decide(SUBJECT, True, PEOPLE)


@pytest.mark.parametrize(
    ("actor", "is_admin", "status", "expected"),
    [
        (SUBJECT, False, PacketStatus.DRAFT, True),
        (AUTHOR, False, PacketStatus.DRAFT, True),
        (BOSS, False, PacketStatus.DRAFT, False),  # the approver sees it once submitted
        (BOSS, False, PacketStatus.SUBMITTED, True),
        (ADMIN, True, PacketStatus.DRAFT, True),
        (STRANGER, False, PacketStatus.APPROVED, False),
    ],
)
def test_who_reads(actor: int, is_admin: bool, status: PacketStatus, expected: bool) -> None:
    assert can_read(actor, is_admin, status, PEOPLE) is expected


def test_whoever_can_edit_never_approves() -> None:
    # The person moved to report to the author's manager: that manager may now edit the
    # packet, so they may no longer decide it; nor may an admin who is their manager.
    moved = People(SUBJECT, AUTHOR, subject_manager_id=BOSS, author_manager_id=BOSS)
    assert can_edit(BOSS, moved) and not can_decide(BOSS, False, moved)
    admin_manages = People(SUBJECT, AUTHOR, subject_manager_id=ADMIN, author_manager_id=BOSS)
    assert not can_decide(ADMIN, True, admin_manages)
    assert can_decide(BOSS, False, admin_manages)


def test_who_withdraws() -> None:
    assert can_withdraw(AUTHOR, False, PEOPLE)
    assert can_withdraw(ADMIN, True, PEOPLE)
    assert not can_withdraw(BOSS, False, PEOPLE)
    assert not can_withdraw(SUBJECT, True, PEOPLE)


def test_only_an_open_packet_is_withdrawn() -> None:
    for status in (PacketStatus.DRAFT, PacketStatus.SUBMITTED):
        assert check_withdraw(status) is PacketStatus.WITHDRAWN
    for status in (PacketStatus.APPROVED, PacketStatus.DECLINED, PacketStatus.WITHDRAWN):
        with pytest.raises(PacketStateError, match="only an open packet"):
            check_withdraw(status)


def test_open_and_closed_packet_statuses_split_every_status():
    from pipelines.promotions import CLOSED_STATUSES, OPEN_STATUSES, PacketStatus

    assert set(OPEN_STATUSES) | set(CLOSED_STATUSES) == set(PacketStatus)
    assert not set(OPEN_STATUSES) & set(CLOSED_STATUSES)
    assert [s for s in PacketStatus if s.is_open] == list(OPEN_STATUSES)


def test_only_the_ladder_s_lists_are_ladder_items():
    assert {k for k in SectionKind if k.is_ladder_item} == {
        SectionKind.RESPONSIBILITY,
        SectionKind.REQUIREMENT,
        SectionKind.PERFORMANCE_INDICATOR,
    }
