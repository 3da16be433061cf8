"""JSON representations of the ladder: levels and the diff of two levels."""

from __future__ import annotations

from typing import Any

from ladder.model import KINDS, Ladder, Level
from ladder.resolve import LevelDiff, Relation, ResolvedItem


def level(lv: Level) -> dict[str, Any]:
    return {
        "id": lv.id,
        "title": lv.title,
        "grade": lv.grade,
        "family": lv.family,
        "track": lv.track.value,
        "reports_to": (
            {"levels": list(lv.reports_to.levels), "text": lv.reports_to.text}
            if lv.reports_to is not None
            else None
        ),
        "defined_elsewhere": lv.defined_elsewhere,
    }


def _diff_item(item: ResolvedItem) -> dict[str, Any]:
    return {
        "text": item.text,
        "items": list(item.items),
        "origin": item.origin,
        "origin_kind": item.origin_kind,
    }


def _diff_level(lv: Level, specialty_id: str | None) -> dict[str, Any]:
    return {
        "id": lv.id,
        "title": lv.title,
        "grade": lv.grade,
        "family": lv.family,
        "specialty": specialty_id,
    }


def diff(ladder: Ladder, changes: LevelDiff, relation: Relation) -> dict[str, Any]:
    """What changes from one level (+ specialty) to another, per list."""
    source, target = changes.source, changes.target
    body: dict[str, Any] = {
        "from": _diff_level(source.level, source.specialty.id if source.specialty else None),
        "to": _diff_level(target.level, target.specialty.id if target.specialty else None),
        "relation": relation,
        "ladder_version": ladder.version,
    }
    for kind in KINDS:
        of_kind = changes.of(kind)
        body[kind] = {
            "added": [_diff_item(i) for i in of_kind.added],
            "kept": [_diff_item(i) for i in of_kind.kept],
            "dropped": [_diff_item(i) for i in of_kind.dropped],
        }
    return body
