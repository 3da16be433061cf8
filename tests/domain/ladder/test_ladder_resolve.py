"""Resolution with provenance, specialty variants, diffs, paths and the version hash."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from ladder.loader import DATA_DIR, LoadResult, build_ladder, content_hash, load_ladder
from ladder.model import KINDS, Ladder
from ladder.resolve import (
    CycleError,
    ResolvedItem,
    UnknownIdError,
    diff_levels,
    extended_levels,
    moves,
    next_levels,
    normalise,
    reports_to_chain,
    resolve_all,
    resolve_items,
    resolve_level,
    specialty_for,
    specialty_labels,
    specialty_levels,
    track_levels,
    track_of,
)
from tests.domain.ladder.ladder_testing import base_family


@pytest.fixture(scope="module")
def ladder(shipped: LoadResult) -> Ladder:
    return shipped.ladder


def origins(items: tuple[ResolvedItem, ...]) -> dict[str, str]:
    return {item.text: item.origin for item in items}


def texts(items: tuple[ResolvedItem, ...]) -> list[str]:
    return [item.text for item in items]


def test_staff_csm_inherits_onboarding_from_associate(ladder: Ladder) -> None:
    resolved = resolve_items(ladder, "staff-csm", "responsibilities")
    assert origins(resolved)["Provide immediate onboarding activities"] == "associate-csm"
    # inherited first, in order, then the level's own
    assert [item.origin for item in resolved] == (
        ["customer-success-management"] * 6
        + ["associate-csm"] * 5
        + ["csm"] * 6
        + ["senior-csm"] * 7
        + ["staff-csm"] * 11
    )
    assert resolved[6].text == "Provide immediate onboarding activities"


def test_staff_csm_indicators_include_the_family_kpis(ladder: Ladder) -> None:
    resolved = resolve_items(ladder, "staff-csm", "performance_indicators")
    assert [(i.text, i.origin, i.origin_kind) for i in resolved] == [
        ("net ARR (i.e., retention and expansion)", "customer-success-management", "family"),
        ("CSM-related metrics.", "customer-success-management", "family"),
        ("3.75m ARR book of business maintained", "staff-csm", "level"),
        ("6 enablement contributions to global CS team per fiscal year", "staff-csm", "level"),
    ]


def test_repeated_requirements_keep_their_first_origin(ladder: Ladder) -> None:
    resolved = resolve_items(ladder, "csm", "requirements")
    # all four CSM (Intermediate) requirements repeat inherited ones
    assert len(ladder.level("csm").requirements) == 4
    assert [i.origin for i in resolved] == ["customer-success-management"] * 13 + ["associate-csm"]
    assert origins(resolved)["Understanding of Git and typical branching strategies"] == (
        "customer-success-management"
    )


def test_senior_csa_adds_no_requirement_of_its_own(ladder: Ladder) -> None:
    resolved = resolve_items(ladder, "senior-csa", "requirements")
    assert len(ladder.level("senior-csa").requirements) == 3
    assert {item.origin for item in resolved} == {"csa"}
    assert len(resolved) == len(ladder.level("csa").requirements)


def test_staff_csa_includes_intermediate_and_senior(ladder: Ladder) -> None:
    resolved = resolve_items(ladder, "staff-csa", "responsibilities")
    assert [item.origin for item in resolved] == ["csa"] * 11 + ["senior-csa"] * 6 + [
        "staff-csa"
    ] * 7


def test_director_of_customer_success_extends_across_families(ladder: Ladder) -> None:
    responsibilities = resolve_items(ladder, "director-cs", "responsibilities")
    assert responsibilities[0].text == (
        "Mentor and enable the team to exceed company growth and retention forecasts"
    )
    assert responsibilities[0].origin == "manager-csm"
    assert {i.origin for i in responsibilities} == {
        "manager-csm",
        "senior-manager-csm",
        "director-cs",
    }
    requirements = resolve_items(ladder, "director-cs", "requirements")
    repeated = (
        "Demonstrated ability to lead managers and successfully manage global, distributed "
        "teams across cultures, lines of business, and geographies"
    )
    assert origins(requirements)[repeated] == "manager-csm"
    assert len(requirements) == 14 + 2
    assert "senior-manager-csm" not in {i.origin for i in requirements}


def test_vp_of_customer_success_indicators_come_from_the_csm_family(ladder: Ladder) -> None:
    resolved = resolve_items(ladder, "vp-cs", "performance_indicators")
    assert [i.origin for i in resolved] == [
        "customer-success-management",
        "customer-success-management",
        "vp-cs",
        "vp-cs",
    ]


def test_nested_items_travel_with_their_parent(ladder: Ladder) -> None:
    resolved = resolve_items(ladder, "vp-csm", "responsibilities")
    nested = [i for i in resolved if i.items]
    assert [i.origin for i in nested] == ["director-csm"] * 3
    assert nested[1].items[0] == "Recruit and develop a high performing team"


def test_public_sector_senior_csm(ladder: Ladder) -> None:
    plain = resolve_level(ladder, "senior-csm")
    variant = resolve_level(ladder, "senior-csm", "public-sector")
    assert variant.specialty is not None
    assert variant.requirements[: len(plain.requirements)] == plain.requirements
    added = variant.requirements[len(plain.requirements) :]
    assert [(i.text[:24], i.origin, i.origin_kind) for i in added] == [
        ("TS/SCI Security Clearanc", "public-sector", "specialty"),
        ("Knowledge of and demonst", "public-sector", "specialty"),
        ("Ability to travel if nee", "public-sector", "specialty"),
    ]
    assert texts(variant.responsibilities)[-1] == "Work exclusively with Public Sector customers"


def test_public_sector_leader_and_architect(ladder: Ladder) -> None:
    for level_id in ("vp-cs", "staff-csa"):
        variant = resolve_level(ladder, level_id, "public-sector")
        assert variant.responsibilities[-1].text == (
            "working exclusively with Public Sector customers"
        )
        assert texts(variant.requirements)[-2:] == [
            "TS/SCI Security Clearance if applicable",
            "Knowledge of and demonstrated progressive experience with Public Sector customers",
        ]


def test_unknown_or_foreign_specialty(ladder: Ladder) -> None:
    with pytest.raises(UnknownIdError, match="has no specialty 'growth'"):
        resolve_level(ladder, "vp-cs", "growth")
    with pytest.raises(UnknownIdError, match="unknown level 'nobody'"):
        resolve_level(ladder, "nobody")


def test_specialty_applies_to_limits_levels(tmp_path: Path) -> None:
    family = base_family()
    family["specialties"][0]["applies_to"] = ["alpha-senior"]
    result = build_ladder([("alpha.yaml", family)])
    assert result.ok, result.problems
    resolve_level(result.ladder, "alpha-senior", "public")
    with pytest.raises(UnknownIdError, match="does not apply"):
        resolve_level(result.ladder, "alpha-junior", "public")
    assert set(resolve_all(result.ladder)) == {
        "alpha-junior",
        "alpha-mid",
        "alpha-senior",
        "alpha-manager",
        "alpha-senior/public",
    }


def test_diff_csm_to_senior_csm_is_senior_csms_own_additions(ladder: Ladder) -> None:
    diff = diff_levels(ladder, "csm", "senior-csm")
    senior = ladder.level("senior-csm")
    for kind in KINDS:
        part = diff.of(kind)
        assert texts(part.added) == [item.text for item in senior.own(kind)]
        assert {item.origin for item in part.added} <= {"senior-csm"}
        assert part.dropped == ()
        assert texts(part.kept) == texts(resolve_items(ladder, "csm", kind))


def test_diff_backwards_drops(ladder: Ladder) -> None:
    diff = diff_levels(ladder, "senior-csm", "csm")
    assert diff.responsibilities.added == ()
    assert len(diff.responsibilities.dropped) == 7
    assert not diff.is_empty


def test_diff_between_unrelated_levels_compares_normalised_text(ladder: Ladder) -> None:
    # The Senior CSA's responsibilities are the CSM (Intermediate)'s, word for word, except
    # "customers\u2019 achievement" where the CSM page has "customers' achievement".
    diff = diff_levels(ladder, "csm", "senior-csa")
    assert diff.responsibilities.added == ()
    assert diff.responsibilities.dropped == ()
    kept = texts(diff.responsibilities.kept)
    assert len(kept) == 17
    assert "Measure and monitor customers\u2019 achievement" in kept[14]
    other = diff_levels(ladder, "csm", "cse")
    assert len(other.responsibilities.added) == 8
    assert len(other.responsibilities.dropped) == 17


def test_diff_of_a_level_with_itself_is_empty(ladder: Ladder) -> None:
    for level_id in ladder.levels_by_id:
        assert diff_levels(ladder, level_id, level_id).is_empty


def test_diff_with_specialties(ladder: Ladder) -> None:
    diff = diff_levels(ladder, "csm", "csm", target_specialty="public-sector")
    assert texts(diff.requirements.added)[0] == "TS/SCI Security Clearance if applicable"
    assert diff.responsibilities.dropped == ()


def test_normalise() -> None:
    assert (
        normalise("  Measure  customers\u2019 \u201cvalue\u201d. ") == 'measure customers\' "value"'
    )
    assert normalise("Curiosity.") == normalise("curiosity")
    assert normalise("A") != normalise("B")


def test_next_levels(ladder: Ladder) -> None:
    def following(level_id: str) -> list[str]:
        return [lv.id for lv in next_levels(ladder, level_id)]

    assert following("associate-csm") == ["csm"]
    assert following("csa") == ["senior-csa"]
    assert following("manager-csm") == ["senior-manager-csm"]
    assert following("senior-manager-csm") == ["director-cs"]
    assert following("cse") == ["senior-cse"]
    assert following("staff-csm") == []
    assert following("vp-cs") == []


def test_next_levels_fall_back_to_the_next_grade() -> None:
    family = base_family()
    for level in family["levels"]:
        level.pop("extends", None)
    family["levels"][0]["responsibilities"] = ["a"]
    result = build_ladder([("alpha.yaml", family)])
    assert result.ok, result.problems
    assert [lv.id for lv in next_levels(result.ladder, "alpha-junior")] == ["alpha-mid"]
    assert [lv.id for lv in next_levels(result.ladder, "alpha-senior")] == []


def test_extended_and_track_levels(ladder: Ladder) -> None:
    assert [lv.id for lv in extended_levels(ladder, "staff-csa")] == ["csa", "senior-csa"]
    assert [lv.id for lv in extended_levels(ladder, "director-cs")] == [
        "senior-manager-csm",
        "manager-csm",
    ]
    assert [
        lv.id
        for lv in track_levels(ladder, "customer-success-management", ladder.level("cse").track)
    ] == [
        "associate-csm",
        "csm",
        "senior-csm",
        "senior-cse",
        "staff-csm",
        "staff-cse",
        "cse",
    ]


@pytest.mark.parametrize(
    ("level", "track"),
    [
        ("staff-csm", ["associate-csm", "csm", "senior-csm", "staff-csm"]),
        ("senior-cse", ["cse", "senior-cse", "staff-cse"]),
        ("senior-csa", ["csa", "senior-csa", "staff-csa"]),
    ],
)
def test_track_of_keeps_parallel_ladders_apart(
    ladder: Ladder, level: str, track: list[str]
) -> None:
    assert [lv.id for lv in track_of(ladder, level)] == track


def test_reports_to_chain(ladder: Ladder) -> None:
    chain = [[lv.id for lv in step] for step in reports_to_chain(ladder, "associate-csm")]
    assert chain == [["manager-csm", "senior-manager-csm"], ["director-csm"], ["vp-cs"]]
    assert reports_to_chain(ladder, "vp-csm") == ()


def test_moves(ladder: Ladder) -> None:
    assert [m.family for m in moves(ladder, "csm")] == ["customer-success-leadership"]


def test_version_is_the_content_hash(shipped: LoadResult, tmp_path: Path) -> None:
    assert shipped.ladder.version == content_hash(shipped.documents)
    assert len(shipped.ladder.version) == 64
    copy = tmp_path / "data"
    shutil.copytree(DATA_DIR, copy)
    assert load_ladder(copy).ladder.version == shipped.ladder.version
    path = copy / "customer-success-leadership.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "# a comment\n", encoding="utf-8")
    assert load_ladder(copy).ladder.version == shipped.ladder.version
    path.write_text(
        path.read_text(encoding="utf-8").replace("grade: 12", "grade: 13"), encoding="utf-8"
    )
    assert load_ladder(copy).ladder.version != shipped.ladder.version


def _cyclic() -> dict[str, Any]:
    family = base_family()
    family["levels"][0]["extends"] = {"requirements": ["alpha-senior"]}
    family["levels"][2]["extends"]["requirements"] = ["alpha-mid"]
    return family


def test_resolution_refuses_a_cycle() -> None:
    result = build_ladder([("alpha.yaml", _cyclic())])
    assert any("extends cycle in requirements" in p.message for p in result.errors)
    with pytest.raises(CycleError) as caught:
        resolve_items(result.ladder, "alpha-senior", "requirements")
    assert caught.value.path == ("alpha-senior", "alpha-mid", "alpha-junior", "alpha-senior")
    # the other kinds still resolve
    assert texts(resolve_items(result.ladder, "alpha-senior", "responsibilities"))[0] == (
        "Do junior work"
    )


def test_specialty_labels_name_each_id_once_in_words_that_fit_every_family(ladder):
    labels = dict(specialty_labels(ladder))
    assert len(labels) == len(specialty_labels(ladder))
    # Three families name "public-sector" differently; one family alone has "strategic".
    assert labels["public-sector"] == "Public Sector"
    assert labels["strategic"] == "Strategic"


def test_specialty_levels_list_exactly_the_levels_where_specialty_for_accepts_the_pair(ladder):
    levels = specialty_levels(ladder)
    assert set(levels) == {specialty_id for specialty_id, _ in specialty_labels(ladder)}
    for specialty_id, level_ids in levels.items():
        for level_id in ladder.levels_by_id:
            try:
                specialty_for(ladder, level_id, specialty_id)
            except UnknownIdError:
                assert level_id not in level_ids, (specialty_id, level_id)
            else:
                assert level_id in level_ids, (specialty_id, level_id)
    # "strategic" is a Customer Success Manager specialty only; "public-sector" is in all three.
    assert "senior-csm" in levels["strategic"] and "csa" not in levels["strategic"]
    assert {"csa", "senior-csm"} <= set(levels["public-sector"])
