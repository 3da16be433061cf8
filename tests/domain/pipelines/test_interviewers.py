"""Who the interviewer picker offers for a stage, in what order, and why someone is refused."""

from __future__ import annotations

from datetime import date

from pipelines.interviewers import (
    Person,
    StageNeeds,
    interviewer_offers,
    is_eligible,
    refusal,
)
from pipelines.plan import StageKind

TODAY = date(2026, 6, 1)


def needs(kind: StageKind, level: str | None = None) -> StageNeeds:
    return StageNeeds(
        kind=kind, conducting_level=level, hiring_manager_id=1, requisition_level="csm-senior"
    )


HANNA = Person(1, "Hanna Manager", frozenset({"hiring_manager"}), "csm-manager")
IVO = Person(2, "Ivo Interviewer", frozenset({"interviewer"}), "csm-staff")
TEO = Person(3, "Teo Member", frozenset({"team_member"}), "csm-senior")
ANA = Person(4, "ana member", frozenset({"team_member"}), "csm-junior")
REX = Person(5, "Rex Recruiter", frozenset({"recruiter"}))
GONE = Person(6, "Gus Gone", frozenset({"team_member"}), "csm-senior", left_on=date(2026, 5, 31))
LAST_DAY = Person(7, "Lia Lastday", frozenset({"team_member"}), left_on=TODAY)
OFF = Person(8, "Otto Off", frozenset({"interviewer"}), active=False)
NOBODY = Person(9, "Nora Norole", frozenset())
BOSS = Person(10, "Sid Director", frozenset({"team_member"}), "sd-csm")
EVERYONE = [HANNA, IVO, TEO, ANA, REX, GONE, LAST_DAY, OFF, NOBODY, BOSS]


def names(kind: StageKind, level: str | None = None) -> list[tuple[str, bool]]:
    return [
        (o.person.name, o.suggested)
        for o in interviewer_offers(EVERYONE, needs(kind, level), TODAY)
    ]


def test_peer_interview_offers_everyone_here_suggesting_interviewers_and_peers_first() -> None:
    assert names(StageKind.PEER) == [
        ("Ivo Interviewer", True),
        ("Teo Member", True),
        ("ana member", False),
        ("Hanna Manager", False),
        ("Lia Lastday", False),
        ("Rex Recruiter", False),
        ("Sid Director", False),
    ]


def test_panel_suggests_the_hiring_manager_and_interviewers() -> None:
    offered = names(StageKind.PANEL)
    assert offered[:2] == [("Hanna Manager", True), ("Ivo Interviewer", True)]
    assert ("Teo Member", False) in offered


def test_generic_interview_suggests_interviewers_only() -> None:
    offered = names(StageKind.INTERVIEW)
    assert [n for n, suggested in offered if suggested] == ["Ivo Interviewer"]
    assert len(offered) == 7


def test_the_two_special_stages_keep_their_rule() -> None:
    assert names(StageKind.HIRING_MANAGER) == [("Hanna Manager", False)]
    assert names(StageKind.EXECUTIVE, "sd-csm") == [("Sid Director", False)]


def test_left_deactivated_and_roleless_people_are_never_eligible() -> None:
    for person in (GONE, OFF, NOBODY):
        assert not is_eligible(person, needs(StageKind.PEER), TODAY)
    assert is_eligible(LAST_DAY, needs(StageKind.PEER), TODAY)


def test_refusals_name_the_person_and_the_stage() -> None:
    stage = "Peer Interview"
    assert refusal(TEO, needs(StageKind.PEER), stage, TODAY) is None
    off = refusal(OFF, needs(StageKind.PEER), stage, TODAY)
    assert off is not None and "Otto Off" in off and "deactivated" in off and stage in off
    gone = refusal(GONE, needs(StageKind.PEER), stage, TODAY)
    assert gone is not None and "Gus Gone left on 31 May 2026" in gone and stage in gone
    hm = refusal(TEO, needs(StageKind.HIRING_MANAGER), "Hiring Manager Interview", TODAY)
    assert hm is not None and "Teo Member is not the hiring manager" in hm
