"""Relations the app asks the ladder about: which specialty applies where, what a level
builds on, how two levels relate, whom a level reports to."""

from __future__ import annotations

import pytest

from ladder.loader import LoadResult
from ladder.model import Family, Ladder, Level, Specialty, Track
from ladder.resolve import (
    SpecialtyNotApplicableError,
    UnknownIdError,
    UnknownSpecialtyError,
    ancestors,
    applicable_specialty,
    relation,
    reports_to_levels,
    resolve_all,
    specialty_for,
)


@pytest.fixture(scope="module")
def ladder(shipped: LoadResult) -> Ladder:
    return shipped.ladder


def small_ladder() -> Ladder:
    """One family whose 'enterprise' specialty exists at the senior level only."""
    levels = (
        Level("junior", "fam", "Junior", Track.INDIVIDUAL_CONTRIBUTOR, grade=5),
        Level("senior", "fam", "Senior", Track.INDIVIDUAL_CONTRIBUTOR, grade=7),
    )
    specialties = (
        Specialty("enterprise", "fam", "Enterprise", applies_to=("senior",)),
        Specialty("public", "fam", "Public"),
    )
    return Ladder((Family("fam", "Family", levels, specialties=specialties),))


def test_a_specialty_without_a_list_applies_to_every_level_of_its_family():
    family = small_ladder().family("fam")
    enterprise, public = family.specialties
    assert public.applies_to_level("junior") and public.applies_to_level("senior")
    assert enterprise.applies_to_level("senior")
    assert not enterprise.applies_to_level("junior")
    assert family.specialties_for("junior") == (public,)
    assert family.specialties_for("senior") == (enterprise, public)


def test_specialty_for_says_which_rule_refused_it():
    ladder = small_ladder()
    assert specialty_for(ladder, "senior", "enterprise").id == "enterprise"
    with pytest.raises(SpecialtyNotApplicableError) as refused:
        specialty_for(ladder, "junior", "enterprise")
    assert (refused.value.specialty.id, refused.value.level.id) == ("enterprise", "junior")
    with pytest.raises(UnknownSpecialtyError) as unknown:
        specialty_for(ladder, "junior", "nope")
    assert (unknown.value.family.id, unknown.value.specialty_id) == ("fam", "nope")
    # Both are UnknownIdErrors: callers that only need "no" need not tell them apart.
    assert isinstance(refused.value, UnknownIdError)
    assert isinstance(unknown.value, UnknownIdError)


def test_a_specialty_is_kept_where_it_applies_and_dropped_where_it_does_not():
    ladder = small_ladder()
    assert applicable_specialty(ladder, "senior", "enterprise") == "enterprise"
    assert applicable_specialty(ladder, "junior", "enterprise") is None
    assert applicable_specialty(ladder, "junior", "nope") is None
    assert applicable_specialty(ladder, "junior", None) is None
    assert applicable_specialty(ladder, "junior", "") is None


def test_every_variant_is_resolved_only_where_the_specialty_applies():
    variants = set(resolve_all(small_ladder()))
    assert variants == {"junior", "junior/public", "senior", "senior/enterprise", "senior/public"}


def test_ancestors_are_every_level_a_level_builds_on_nearest_first(ladder):
    assert [lv.id for lv in ancestors(ladder, "staff-csm")] == [
        "senior-csm",
        "csm",
        "associate-csm",
    ]
    assert [lv.id for lv in ancestors(ladder, "associate-csm")] == []


def test_relation_of_two_levels(ladder):
    assert relation(ladder, "csm", "staff-csm") == "target_builds_on_source"
    assert relation(ladder, "staff-csm", "csm") == "source_builds_on_target"
    assert relation(ladder, "csm", "csm") == "same"
    assert relation(ladder, "csm", "csa") == "unrelated"


def test_reports_to_levels_are_the_levels_on_the_ladder_a_level_names(ladder):
    assert [lv.id for lv in reports_to_levels(ladder, "csm")] == [
        "manager-csm",
        "senior-manager-csm",
    ]
    assert reports_to_levels(small_ladder(), "junior") == ()
