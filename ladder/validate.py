"""Checks that need the whole ladder: references to ids declared in any file, cycles in
``extends`` and ``reports_to``, grades that go down where a level extends or reports to
another, levels without responsibilities, and an id used by a family and a level.

Each check appends :class:`~ladder.model.Problem` objects; none raises.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence

from ladder.build import Collected, Ref
from ladder.model import KINDS, Family, Level, Problem
from ladder.schema import did_you_mean, where


def check_refs(
    refs: list[Ref],
    ladder_levels: Mapping[str, Level],
    level_ids: Mapping[str, object],
    families: Mapping[str, object],
    sets: Iterable[str],
    problems: list[Problem],
) -> None:
    """Report references to ids nobody declares (a declared but broken object is not
    reported again)."""
    set_ids = list(sets)
    for ref in refs:
        if ref.kind == "level":
            if ref.target not in level_ids:
                hint = did_you_mean(ref.target, level_ids)
                problems.append(
                    Problem(ref.file, ref.line, f"{ref.what}: unknown level {ref.target!r}{hint}")
                )
        elif ref.kind == "family":
            if ref.target not in families:
                hint = did_you_mean(ref.target, families)
                problems.append(
                    Problem(ref.file, ref.line, f"{ref.what}: unknown family {ref.target!r}{hint}")
                )
        elif ref.kind == "level-or-family":
            if ref.target not in level_ids and ref.target not in families:
                hint = did_you_mean(ref.target, [*level_ids, *families])
                problems.append(
                    Problem(
                        ref.file,
                        ref.line,
                        f"{ref.what}: unknown level or family {ref.target!r}{hint}",
                    )
                )
        elif ref.kind == "competency-set":
            if ref.target not in set_ids:
                hint = did_you_mean(ref.target, set_ids)
                problems.append(
                    Problem(
                        ref.file,
                        ref.line,
                        f"{ref.what}: unknown competency set {ref.target!r}{hint}",
                    )
                )
        elif ref.kind.startswith("level-in:"):
            family_id = ref.kind.removeprefix("level-in:")
            level = ladder_levels.get(ref.target)
            if level is not None and family_id in families and level.family != family_id:
                problems.append(
                    Problem(
                        ref.file,
                        ref.line,
                        f"{ref.what}: level {ref.target!r} is not in family {family_id!r}",
                    )
                )


def _find_cycles(graph: Mapping[str, Sequence[str]]) -> list[list[str]]:
    """Every elementary cycle reachable by DFS, each once, as ``[a, b, …, a]``."""
    state: dict[str, int] = {}
    cycles: list[list[str]] = []
    seen: set[frozenset[str]] = set()
    for start in graph:
        if state.get(start):
            continue
        stack: list[tuple[str, Iterator[str]]] = [(start, iter(graph.get(start, ())))]
        path = [start]
        state[start] = 1
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                stack.pop()
                path.pop()
                state[node] = 2
                continue
            if child not in graph:
                continue
            if state.get(child) == 1:
                cycle = [*path[path.index(child) :], child]
                key = frozenset(cycle)
                if key not in seen:
                    seen.add(key)
                    cycles.append(cycle)
            elif not state.get(child):
                state[child] = 1
                path.append(child)
                stack.append((child, iter(graph.get(child, ()))))
    return cycles


def check_levels(families: Sequence[Family], collected: Collected, problems: list[Problem]) -> None:
    levels = {lv.id: lv for fam in families for lv in fam.levels}
    family_ids = {fam.id: fam for fam in families}
    files = {lv.id: fam.file for fam in families for lv in fam.levels}

    for family_id, (file, line) in collected.family_lines.items():
        if family_id in collected.level_lines:
            other = where(*collected.level_lines[family_id])
            problems.append(
                Problem(file, line, f"id {family_id!r} is used by a family and a level ({other})")
            )

    for kind in KINDS:
        graph = {lv.id: lv.extends.of(kind) for lv in levels.values()}
        for cycle in _find_cycles(graph):
            first = min(cycle[:-1])
            rotated = cycle[cycle.index(first) : -1] + cycle[: cycle.index(first)] + [first]
            # rotation keeps the order of the cycle and starts at its smallest id
            line = collected.extends_lines.get((first, kind, rotated[1]))
            problems.append(
                Problem(
                    files[first],
                    line,
                    f"extends cycle in {kind}: {' -> '.join(rotated)}",
                )
            )
        for level in levels.values():
            for target in level.extends.of(kind):
                line = collected.extends_lines.get((level.id, kind, target))
                parent = levels.get(target)
                if parent is not None:
                    if (
                        level.grade is not None
                        and parent.grade is not None
                        and level.grade < parent.grade
                    ):
                        problems.append(
                            Problem(
                                files[level.id],
                                line,
                                f"level {level.id!r} (grade {level.grade}) extends {target!r} "
                                f"(grade {parent.grade}) in {kind}: its grade is below the "
                                "level it extends",
                            )
                        )
                elif target in family_ids and not family_ids[target].own(kind):
                    problems.append(
                        Problem(
                            files[level.id],
                            line,
                            f"level {level.id!r}: extends.{kind} names family {target!r}, "
                            f"which has no family-level {kind}",
                        )
                    )

    reports = {
        lv.id: lv.reports_to.levels if lv.reports_to is not None else () for lv in levels.values()
    }
    for cycle in _find_cycles(reports):
        first = min(cycle[:-1])
        rotated = cycle[cycle.index(first) : -1] + cycle[: cycle.index(first)] + [first]
        problems.append(
            Problem(
                files[first],
                collected.reports_lines.get((first, rotated[1])),
                f"reports-to cycle: {' -> '.join(rotated)}",
            )
        )
    for level in levels.values():
        for target in reports[level.id]:
            boss = levels.get(target)
            if (
                boss is not None
                and level.grade is not None
                and boss.grade is not None
                and boss.grade < level.grade
            ):
                problems.append(
                    Problem(
                        files[level.id],
                        collected.reports_lines.get((level.id, target)),
                        f"level {level.id!r} (grade {level.grade}) reports to {target!r} "
                        f"(grade {boss.grade}): the reports-to chain goes down in grade",
                    )
                )
        if (
            level.defined_elsewhere is None
            and not level.responsibilities
            and not level.extends.responsibilities
        ):
            problems.append(
                Problem(
                    files[level.id],
                    collected.level_lines[level.id][1],
                    f"level {level.id!r} has no responsibilities and extends none; "
                    "set defined_elsewhere if another page describes it",
                )
            )
