"""Property-based tests on randomly generated ladders and random (bad) data."""

from __future__ import annotations

from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ladder.loader import build_ladder
from ladder.model import KINDS, Kind, Ladder
from ladder.resolve import CycleError, diff_levels, resolve_items, resolve_level
from ladder.writing import dump_family
from ladder.yaml_lines import parse_yaml

WORDS = ["Lead", "Build", "Own", "Mentor", "Plan", "Ship", "Own."]
FAMILY = "fam"


@st.composite
def ladders(draw: st.DrawFn) -> dict[str, Any]:
    """A family document with random levels, items (often repeated) and extends (cycles too)."""
    count = draw(st.integers(min_value=1, max_value=7))
    ids = [f"l{i}" for i in range(count)]
    family: dict[str, Any] = {"id": FAMILY, "title": "Family", "levels": []}
    for kind in KINDS:
        if draw(st.booleans()):
            family[kind] = draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=3))
    for index, level_id in enumerate(ids):
        # mostly earlier levels (a ladder), sometimes any level (cycles, self-references)
        earlier = ids[:index] if draw(st.integers(0, 4)) else ids
        targets = [*earlier, FAMILY]
        level: dict[str, Any] = {
            "id": level_id,
            "title": level_id.upper(),
            "track": draw(st.sampled_from(["individual_contributor", "manager"])),
        }
        grade = draw(st.one_of(st.none(), st.integers(min_value=1, max_value=12)))
        if grade is not None:
            level["grade"] = grade
        extends: dict[str, list[str]] = {}
        for kind in KINDS:
            chosen = draw(st.lists(st.sampled_from(targets), max_size=2, unique=True))
            chosen = [t for t in chosen if t != FAMILY or kind in family]
            if chosen:
                extends[kind] = chosen
        if extends:
            level["extends"] = extends
        level["responsibilities"] = draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=4))
        for kind in ("requirements", "performance_indicators"):
            own = draw(st.lists(st.sampled_from(WORDS), max_size=3))
            if own:
                level[kind] = own
        family["levels"].append(level)
    return family


def reachable(ladder: Ladder, level_id: str, kind: Kind) -> set[str]:
    """Levels and families whose items may appear in the level's resolved list."""
    seen = {level_id}
    todo = [level_id]
    while todo:
        current = ladder.levels_by_id.get(todo.pop())
        if current is None:
            continue
        for target in current.extends.of(kind):
            if target not in seen:
                seen.add(target)
                todo.append(target)
    return seen


def own_keys(ladder: Ladder, origin: str, kind: Kind) -> set[str]:
    owner: Any = ladder.levels_by_id.get(origin) or ladder.families_by_id[origin]
    return {item.key for item in owner.own(kind)}


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(ladders())
def test_resolution_terminates_with_right_provenance_and_no_duplicates(
    data: dict[str, Any],
) -> None:
    result = build_ladder([("fam.yaml", data)])
    ladder = result.ladder
    cyclic_kinds = {
        kind for kind in KINDS for p in result.errors if f"extends cycle in {kind}:" in p.message
    }
    for level_id in ladder.levels_by_id:
        for kind in KINDS:
            try:
                resolved = resolve_items(ladder, level_id, kind)
            except CycleError as exc:
                # refused, not looped, and the validator said so
                assert kind in cyclic_kinds
                assert exc.path[0] == exc.path[-1]
                continue
            keys = [item.key for item in resolved]
            assert len(keys) == len(set(keys))
            allowed = reachable(ladder, level_id, kind)
            for item in resolved:
                assert item.origin in allowed
                assert item.key in own_keys(ladder, item.origin, kind)
            assert own_keys(ladder, level_id, kind) <= set(keys)
    for kind in KINDS:
        if kind not in cyclic_kinds:
            for level_id in ladder.levels_by_id:
                resolve_items(ladder, level_id, kind)  # no cycle reported: always resolves


@settings(max_examples=100, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(ladders(), st.data())
def test_diffs(data: dict[str, Any], draw: st.DataObject) -> None:
    result = build_ladder([("fam.yaml", data)])
    if any("cycle" in p.message for p in result.errors):
        return
    ladder = result.ladder
    ids = sorted(ladder.levels_by_id)
    a = draw.draw(st.sampled_from(ids))
    b = draw.draw(st.sampled_from(ids))
    assert diff_levels(ladder, a, a).is_empty
    forward = diff_levels(ladder, a, b)
    backward = diff_levels(ladder, b, a)
    for kind in KINDS:
        source = {i.key for i in resolve_level(ladder, a).of(kind)}
        target = {i.key for i in resolve_level(ladder, b).of(kind)}
        part = forward.of(kind)
        assert {i.key for i in part.added} == target - source
        assert {i.key for i in part.kept} == target & source
        assert {i.key for i in part.dropped} == source - target
        assert {i.key for i in backward.of(kind).added} == {i.key for i in part.dropped}


json_values = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(min_value=-5, max_value=20),
        st.text(max_size=8),
        st.sampled_from(["alpha", "l0", "individual_contributor", "levels", "extends"]),
    ),
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(
            st.sampled_from(
                [
                    "id",
                    "title",
                    "levels",
                    "grade",
                    "track",
                    "extends",
                    "responsibilities",
                    "reports_to",
                    "specialties",
                    "hiring_process",
                    "stages",
                    "text",
                    "items",
                    "notes",
                    "x",
                ]
            ),
            children,
            max_size=6,
        ),
    ),
    max_leaves=25,
)


@settings(max_examples=200, deadline=None)
@given(json_values)
def test_bad_data_never_raises(value: Any) -> None:
    result = build_ladder([("alpha.yaml", value), ("competencies.yaml", value)])
    assert all(p.message for p in result.problems)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_bad_yaml_never_raises(text: str) -> None:
    data, problems = parse_yaml(text, "x.yaml")
    build_ladder([("x.yaml", data)])
    assert all(p.file == "x.yaml" for p in problems)


strings = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from(["'", '"', ":"]),
    min_size=1,
    max_size=20,
)


@settings(max_examples=150, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(["title", "notes", "levels", "extends", "roles", "text"]),
        st.one_of(strings, st.lists(strings, min_size=1, max_size=3)),
        min_size=1,
    )
)
def test_dump_family_round_trips(data: dict[str, Any]) -> None:
    assert yaml.safe_load(dump_family(data)) == data
