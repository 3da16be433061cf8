"""A model :class:`~ladder.model.Family` written back as the mapping of its data file.

``family_mapping(family)`` equals ``yaml.safe_load`` of the family's file for every
shipped family: keys in the documented order, optional keys omitted, an item without
sub-items as a plain string.
"""

from __future__ import annotations

from typing import Any

from ladder.model import (
    KINDS,
    CareerLadder,
    ConductedBy,
    Expectation,
    Expectations,
    Family,
    HiringProcess,
    Item,
    Level,
    Measure,
    OtherList,
    ReportsTo,
    Source,
    Specialty,
    Stage,
)

__all__ = ["family_mapping"]

_LIST_KINDS = KINDS


def _other_lists(lists: tuple[OtherList, ...]) -> list[dict[str, Any]]:
    return [{"title": other.title, "items": _items(other.items)} for other in lists]


def _items(items: tuple[Item, ...]) -> list[Any]:
    return [
        item.text if not item.items else {"text": item.text, "items": list(item.items)}
        for item in items
    ]


def _source(source: Source) -> dict[str, Any]:
    out: dict[str, Any] = {"file": source.file}
    if source.licence is not None:
        out["licence"] = source.licence
    if source.url is not None:
        out["url"] = source.url
    return out


def _reports_to(reports_to: ReportsTo) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if reports_to.levels:
        out["levels"] = list(reports_to.levels)
    if reports_to.text is not None:
        out["text"] = reports_to.text
    return out


def _level(level: Level) -> dict[str, Any]:
    out: dict[str, Any] = {"id": level.id, "title": level.title}
    if level.short_title is not None:
        out["short_title"] = level.short_title
    if level.grade is not None:
        out["grade"] = level.grade
    out["track"] = str(level.track)
    if level.source_line is not None:
        out["source_line"] = level.source_line
    if level.reports_to is not None:
        out["reports_to"] = _reports_to(level.reports_to)
    if level.description:
        out["description"] = list(level.description)
    if level.market_justification is not None:
        out["market_justification"] = level.market_justification
    if level.defined_elsewhere is not None:
        out["defined_elsewhere"] = level.defined_elsewhere
    extends = {kind: list(level.extends.of(kind)) for kind in _LIST_KINDS if level.extends.of(kind)}
    if extends:
        out["extends"] = extends
    for kind in _LIST_KINDS:
        if level.own(kind):
            out[kind] = _items(level.own(kind))
    if level.other_lists:
        out["other_lists"] = _other_lists(level.other_lists)
    if level.notes:
        out["notes"] = list(level.notes)
    return out


def _specialty(specialty: Specialty) -> dict[str, Any]:
    out: dict[str, Any] = {"id": specialty.id, "title": specialty.title}
    if specialty.source_line is not None:
        out["source_line"] = specialty.source_line
    if specialty.applies_to:
        out["applies_to"] = list(specialty.applies_to)
    for kind in _LIST_KINDS:
        if specialty.own(kind):
            out[kind] = _items(specialty.own(kind))
    if specialty.other_lists:
        out["other_lists"] = _other_lists(specialty.other_lists)
    if specialty.notes:
        out["notes"] = list(specialty.notes)
    return out


def _conducted_by(conducted_by: ConductedBy) -> dict[str, Any]:
    out: dict[str, Any] = {"text": conducted_by.text}
    if conducted_by.roles:
        out["roles"] = [str(r) for r in conducted_by.roles]
    if conducted_by.level is not None:
        out["level"] = conducted_by.level
    if conducted_by.selected_by is not None:
        out["selected_by"] = str(conducted_by.selected_by)
    return out


def _stage(stage: Stage) -> dict[str, Any]:
    out: dict[str, Any] = {"id": stage.id, "name": stage.name}
    if stage.source_line is not None:
        out["source_line"] = stage.source_line
    if stage.duration_minutes is not None:
        out["duration_minutes"] = stage.duration_minutes
    if stage.conducted_by is not None:
        out["conducted_by"] = _conducted_by(stage.conducted_by)
    if stage.format:
        out["format"] = list(stage.format)
    out["text"] = list(stage.text)
    if stage.notes:
        out["notes"] = list(stage.notes)
    return out


def _hiring(hiring: HiringProcess) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if hiring.intro:
        out["intro"] = list(hiring.intro)
    out["stages"] = [_stage(s) for s in hiring.stages]
    if hiring.outro:
        out["outro"] = list(hiring.outro)
    return out


def _career(career: CareerLadder) -> dict[str, Any]:
    out: dict[str, Any] = {"text": list(career.text)}
    if career.moves:
        moves = []
        for move in career.moves:
            entry: dict[str, Any] = {"text": move.text}
            if move.family is not None:
                entry["family"] = move.family
            if move.level is not None:
                entry["level"] = move.level
            moves.append(entry)
        out["moves"] = moves
    return out


def _measure(measure: Measure) -> dict[str, Any]:
    out: dict[str, Any] = {"text": measure.text}
    if measure.segments:
        out["segments"] = list(measure.segments)
    if measure.lead_in is not None:
        out["lead_in"] = measure.lead_in
    return out


def _expectation(expectation: Expectation) -> dict[str, Any]:
    out: dict[str, Any] = {"id": expectation.id, "title": expectation.title}
    if expectation.url is not None:
        out["url"] = expectation.url
    if expectation.source_line is not None:
        out["source_line"] = expectation.source_line
    out["context"] = _items(expectation.context)
    out["measures"] = [_measure(m) for m in expectation.measures]
    return out


def _expectations(expectations: Expectations) -> dict[str, Any]:
    out: dict[str, Any] = {"title": expectations.title}
    if expectations.source is not None:
        out["source"] = _source(expectations.source)
    out["items"] = [_expectation(e) for e in expectations.items]
    if expectations.notes:
        out["notes"] = list(expectations.notes)
    return out


def family_mapping(family: Family) -> dict[str, Any]:
    """The data-file mapping of a family of the model."""
    out: dict[str, Any] = {"id": family.id, "title": family.title}
    if family.description is not None:
        out["description"] = family.description
    if family.source is not None:
        out["source"] = _source(family.source)
    if family.intro:
        out["intro"] = list(family.intro)
    if family.competencies is not None:
        out["competencies"] = family.competencies
    for kind in _LIST_KINDS:
        if family.own(kind):
            out[kind] = _items(family.own(kind))
    if family.other_lists:
        out["other_lists"] = _other_lists(family.other_lists)
    out["levels"] = [_level(lv) for lv in family.levels]
    if family.specialties:
        out["specialties"] = [_specialty(s) for s in family.specialties]
    if family.career_ladder is not None:
        out["career_ladder"] = _career(family.career_ladder)
    if family.hiring_process is not None:
        out["hiring_process"] = _hiring(family.hiring_process)
    if family.expectations is not None:
        out["expectations"] = _expectations(family.expectations)
    if family.notes:
        out["notes"] = list(family.notes)
    return out
