"""Build the model of one document: a family file into a :class:`~ladder.model.Family`,
``competencies.yaml`` into competency sets.

Every field is read through :class:`ladder.schema.Reader`, so a wrong field is reported and
left out while the rest is built. References to other objects and the positions of ids are
collected (:class:`Collected`) for the checks that need the whole ladder
(:mod:`ladder.validate`).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from ladder.model import (
    KINDS,
    CareerLadder,
    Competency,
    CompetencySet,
    ConductedBy,
    Expectation,
    Expectations,
    Extends,
    Family,
    HiringProcess,
    Level,
    Measure,
    Move,
    ReportsTo,
    Role,
    Source,
    Specialty,
    Stage,
    Track,
)
from ladder.schema import (
    CAREER_KEYS,
    COMPETENCIES_FILE_KEYS,
    COMPETENCY_KEYS,
    CONDUCTED_KEYS,
    EXPECTATION_KEYS,
    EXPECTATIONS_KEYS,
    EXTENDS_KEYS,
    FAMILY_KEYS,
    HIRING_KEYS,
    LEVEL_KEYS,
    MEASURE_KEYS,
    MOVE_KEYS,
    REPORTS_TO_KEYS,
    ROLES,
    SET_KEYS,
    SOURCE_KEYS,
    SPECIALTY_KEYS,
    STAGE_KEYS,
    TRACKS,
    Reader,
    did_you_mean,
    line_of,
    where,
)


@dataclass(frozen=True, slots=True)
class Ref:
    """A reference to check once every file is read."""

    file: str
    line: int | None
    target: str
    kind: str  # "level", "family", "level-or-family", "competency-set"
    what: str


@dataclass(slots=True)
class Collected:
    """What the builders gather besides the model: references and id positions."""

    refs: list[Ref]
    level_lines: dict[str, tuple[str, int | None]]
    family_lines: dict[str, tuple[str, int | None]]
    extends_lines: dict[tuple[str, str, str], int | None]
    reports_lines: dict[tuple[str, str], int | None]


class FamilyBuilder:
    def __init__(self, reader: Reader, collected: Collected) -> None:
        self.r = reader
        self.c = collected

    def ref(self, line: int | None, target: str, kind: str, what: str) -> None:
        self.c.refs.append(Ref(self.r.file, line, target, kind, what))

    def source(self, m: Mapping[str, Any], what: str) -> Source | None:
        if "source" not in m:
            return None
        value = self.r.mapping(m["source"], line_of(m, "source"), f"{what}: 'source'")
        if value is None:
            return None
        label = f"{what}: source"
        self.r.keys(value, label, SOURCE_KEYS, ("file",))
        file = self.r.string(value, "file", label)
        if file is None:
            return None
        return Source(
            file, self.r.string(value, "licence", label), self.r.string(value, "url", label)
        )

    def family(self, m: Mapping[str, Any], stem: str) -> Family | None:
        r = self.r
        family_id = r.ident(m, "id", "family")
        what = f"family {family_id!r}" if family_id else "family"
        r.keys(m, what, FAMILY_KEYS, ("id", "title", "levels"))
        title = r.string(m, "title", what)
        if family_id is not None and family_id != stem:
            r.error(
                line_of(m, "id"),
                f"{what}: id does not match the file name {stem!r}.yaml",
            )
        fid = family_id or stem
        competencies = r.ident(m, "competencies", what)
        if competencies is not None:
            self.ref(line_of(m, "competencies"), competencies, "competency-set", what)
        levels = self.levels(m, fid, what)
        specialties = self.specialties(m, fid, what, levels)
        family = Family(
            id=fid,
            title=title or fid,
            levels=levels,
            description=r.string(m, "description", what),
            source=self.source(m, what),
            intro=r.strings(m, "intro", what),
            competencies=competencies,
            responsibilities=r.items(m, "responsibilities", what),
            requirements=r.items(m, "requirements", what),
            performance_indicators=r.items(m, "performance_indicators", what),
            other_lists=r.other_lists(m, what),
            specialties=specialties,
            career_ladder=self.career_ladder(m, what),
            hiring_process=self.hiring_process(m, what),
            expectations=self.expectations(m, what, specialties),
            notes=r.notes(m, what),
            file=r.file,
        )
        if family_id is not None:
            previous = self.c.family_lines.get(family_id)
            if previous is not None:
                r.error(
                    line_of(m, "id"),
                    f"duplicate family id {family_id!r} (also at {where(*previous)})",
                )
            else:
                self.c.family_lines[family_id] = (r.file, line_of(m, "id"))
        return family

    def list_of_mappings(
        self, m: Mapping[str, Any], key: str, what: str
    ) -> Iterator[tuple[Mapping[str, Any], int | None]]:
        values = self.r.seq(m, key, what)
        if values is None:
            return
        for index, value in enumerate(values):
            line = line_of(values, index)
            checked = self.r.mapping(value, line, f"{what}: {key}[{index}]")
            if checked is not None:
                yield checked, line

    def levels(self, m: Mapping[str, Any], family_id: str, what: str) -> tuple[Level, ...]:
        out: list[Level] = []
        for value, line in self.list_of_mappings(m, "levels", what):
            level = self.level(value, line, family_id)
            if level is not None:
                out.append(level)
        return tuple(out)

    def level(self, m: Mapping[str, Any], line: int | None, family_id: str) -> Level | None:
        r = self.r
        level_id = r.ident(m, "id", "level")
        what = f"level {level_id!r}" if level_id else "level"
        r.keys(m, what, LEVEL_KEYS, ("id", "title", "track"))
        title = r.string(m, "title", what)
        track_value = m.get("track")
        track = (
            r.enum_value(track_value, line_of(m, "track"), f"{what}: 'track'", TRACKS)
            if "track" in m
            else None
        )
        extends = self.extends(m, level_id, what)
        reports_to = self.reports_to(m, level_id, what)
        short_title = r.string(m, "short_title", what)
        grade = r.integer(m, "grade", what, 1)
        description = r.strings(m, "description", what)
        market_justification = r.string(m, "market_justification", what)
        defined_elsewhere = r.string(m, "defined_elsewhere", what)
        responsibilities = r.items(m, "responsibilities", what)
        requirements = r.items(m, "requirements", what)
        performance_indicators = r.items(m, "performance_indicators", what)
        other_lists = r.other_lists(m, what)
        notes = r.notes(m, what)
        source_line = r.integer(m, "source_line", what, 1)
        level = (
            None
            if level_id is None or title is None or track is None
            else Level(
                id=level_id,
                family=family_id,
                title=title,
                track=Track(track),
                short_title=short_title,
                grade=grade,
                reports_to=reports_to,
                description=description,
                market_justification=market_justification,
                defined_elsewhere=defined_elsewhere,
                extends=extends,
                responsibilities=responsibilities,
                requirements=requirements,
                performance_indicators=performance_indicators,
                other_lists=other_lists,
                notes=notes,
                source_line=source_line,
            )
        )
        if level_id is not None:
            previous = self.c.level_lines.get(level_id)
            if previous is not None:
                r.error(
                    line_of(m, "id"),
                    f"duplicate level id {level_id!r} (also at {where(*previous)})",
                )
                return None
            self.c.level_lines[level_id] = (r.file, line_of(m, "id"))
        return level

    def extends(self, m: Mapping[str, Any], level_id: str | None, what: str) -> Extends:
        if "extends" not in m:
            return Extends()
        value = self.r.mapping(m["extends"], line_of(m, "extends"), f"{what}: 'extends'")
        if value is None:
            return Extends()
        label = f"{what}: extends"
        self.r.keys(value, label, EXTENDS_KEYS)
        if not value:
            self.r.error(line_of(m, "extends"), f"{label} must not be empty (omit the key)")
        lists: dict[str, tuple[str, ...]] = {}
        for kind in KINDS:
            entries = self.r.ids(value, kind, label)
            ids: list[str] = []
            for target, line in entries:
                if target in ids:
                    self.r.error(line, f"{label}.{kind}: {target!r} is listed twice")
                    continue
                ids.append(target)
                self.ref(line, target, "level-or-family", f"{label}.{kind}")
                if level_id is not None:
                    self.c.extends_lines.setdefault((level_id, kind, target), line)
            lists[kind] = tuple(ids)
        return Extends(
            lists["responsibilities"], lists["requirements"], lists["performance_indicators"]
        )

    def reports_to(self, m: Mapping[str, Any], level_id: str | None, what: str) -> ReportsTo | None:
        if "reports_to" not in m:
            return None
        value = self.r.mapping(m["reports_to"], line_of(m, "reports_to"), f"{what}: 'reports_to'")
        if value is None:
            return None
        label = f"{what}: reports_to"
        self.r.keys(value, label, REPORTS_TO_KEYS)
        targets: list[str] = []
        for target, line in self.r.ids(value, "levels", label):
            self.ref(line, target, "level", f"{label}.levels")
            targets.append(target)
            if level_id is not None:
                self.c.reports_lines.setdefault((level_id, target), line)
        text = self.r.string(value, "text", label)
        if "levels" not in value and "text" not in value:
            self.r.error(line_of(m, "reports_to"), f"{label} needs 'levels' or 'text'")
        return ReportsTo(tuple(targets), text)

    def specialties(
        self, m: Mapping[str, Any], family_id: str, what: str, levels: tuple[Level, ...]
    ) -> tuple[Specialty, ...]:
        r = self.r
        out: list[Specialty] = []
        seen: dict[str, int | None] = {}
        level_ids = [lv.id for lv in levels]
        for value, line in self.list_of_mappings(m, "specialties", what):
            specialty_id = r.ident(value, "id", "specialty")
            label = f"specialty {specialty_id!r}" if specialty_id else "specialty"
            r.keys(value, label, SPECIALTY_KEYS, ("id", "title"))
            title = r.string(value, "title", label)
            applies_to: list[str] = []
            for target, target_line in r.ids(value, "applies_to", label):
                if target not in level_ids:
                    r.error(
                        target_line,
                        f"{label}: applies_to names {target!r}, which is not a level of "
                        f"family {family_id!r}{did_you_mean(target, level_ids)}",
                    )
                else:
                    applies_to.append(target)
            specialty = Specialty(
                id=specialty_id or "",
                family=family_id,
                title=title or "",
                applies_to=tuple(applies_to),
                responsibilities=r.items(value, "responsibilities", label),
                requirements=r.items(value, "requirements", label),
                performance_indicators=r.items(value, "performance_indicators", label),
                other_lists=r.other_lists(value, label),
                notes=r.notes(value, label),
                source_line=r.integer(value, "source_line", label, 1),
            )
            if specialty_id is None or title is None:
                continue
            if specialty_id in seen:
                r.error(
                    line_of(value, "id"),
                    f"duplicate specialty id {specialty_id!r} in family {family_id!r} "
                    f"(also at line {seen[specialty_id]})",
                )
                continue
            seen[specialty_id] = line_of(value, "id")
            if not (
                specialty.responsibilities
                or specialty.requirements
                or specialty.performance_indicators
            ):
                r.error(line, f"{label} has no responsibilities, requirements or indicators")
            out.append(specialty)
        return tuple(out)

    def career_ladder(self, m: Mapping[str, Any], what: str) -> CareerLadder | None:
        if "career_ladder" not in m:
            return None
        r = self.r
        value = r.mapping(
            m["career_ladder"], line_of(m, "career_ladder"), f"{what}: 'career_ladder'"
        )
        if value is None:
            return None
        label = f"{what}: career_ladder"
        r.keys(value, label, CAREER_KEYS, ("text",))
        moves: list[Move] = []
        for index, (move, _line) in enumerate(self.list_of_mappings(value, "moves", label)):
            move_label = f"{label}: moves[{index}]"
            r.keys(move, move_label, MOVE_KEYS, ("text",))
            text = r.string(move, "text", move_label)
            family = r.ident(move, "family", move_label)
            level = r.ident(move, "level", move_label)
            if family is not None:
                self.ref(line_of(move, "family"), family, "family", move_label)
            if level is not None:
                self.ref(line_of(move, "level"), level, "level", move_label)
                if family is not None:
                    self.c.refs.append(
                        Ref(r.file, line_of(move, "level"), level, f"level-in:{family}", move_label)
                    )
            if text is not None:
                moves.append(Move(text, family, level))
        return CareerLadder(r.strings(value, "text", label), tuple(moves))

    def hiring_process(self, m: Mapping[str, Any], what: str) -> HiringProcess | None:
        if "hiring_process" not in m:
            return None
        r = self.r
        value = r.mapping(
            m["hiring_process"], line_of(m, "hiring_process"), f"{what}: 'hiring_process'"
        )
        if value is None:
            return None
        label = f"{what}: hiring_process"
        r.keys(value, label, HIRING_KEYS, ("stages",))
        stages: list[Stage] = []
        seen: dict[str, int | None] = {}
        for stage_map, _line in self.list_of_mappings(value, "stages", label):
            stage = self.stage(stage_map)
            if stage is None:
                continue
            if stage.id in seen:
                r.error(
                    line_of(stage_map, "id"),
                    f"duplicate stage id {stage.id!r} (also at line {seen[stage.id]})",
                )
                continue
            seen[stage.id] = line_of(stage_map, "id")
            stages.append(stage)
        return HiringProcess(
            tuple(stages), r.strings(value, "intro", label), r.strings(value, "outro", label)
        )

    def stage(self, m: Mapping[str, Any]) -> Stage | None:
        r = self.r
        stage_id = r.ident(m, "id", "stage")
        what = f"stage {stage_id!r}" if stage_id else "stage"
        r.keys(m, what, STAGE_KEYS, ("id", "name", "text"))
        name = r.string(m, "name", what)
        text = r.strings(m, "text", what)
        conducted_by = self.conducted_by(m, what)
        stage = Stage(
            id=stage_id or "",
            name=name or "",
            text=text,
            duration_minutes=r.integer(m, "duration_minutes", what, 1),
            conducted_by=conducted_by,
            format=r.strings(m, "format", what),
            notes=r.notes(m, what),
            source_line=r.integer(m, "source_line", what, 1),
            scorecard_focus=r.strings(m, "scorecard_focus", what)
            if "scorecard_focus" in m
            else None,
        )
        if stage_id is None or name is None or not text:
            return None
        return stage

    def conducted_by(self, m: Mapping[str, Any], what: str) -> ConductedBy | None:
        if "conducted_by" not in m:
            return None
        r = self.r
        value = r.mapping(m["conducted_by"], line_of(m, "conducted_by"), f"{what}: 'conducted_by'")
        if value is None:
            return None
        label = f"{what}: conducted_by"
        r.keys(value, label, CONDUCTED_KEYS, ("text",))
        roles: list[Role] = []
        role_values = r.seq(value, "roles", label)
        for index, role_value in enumerate(role_values or ()):
            checked = r.enum_value(
                role_value, line_of(role_values, index), f"{label}: roles[{index}]", ROLES
            )
            if checked is not None:
                roles.append(Role(checked))
        selected_by = None
        if "selected_by" in value:
            checked = r.enum_value(
                value["selected_by"],
                line_of(value, "selected_by"),
                f"{label}: 'selected_by'",
                ROLES,
            )
            selected_by = Role(checked) if checked is not None else None
        level = r.ident(value, "level", label)
        if level is not None:
            self.ref(line_of(value, "level"), level, "level", label)
        text = r.string(value, "text", label)
        if text is None:
            return None
        return ConductedBy(text, tuple(roles), level, selected_by)

    def expectations(
        self, m: Mapping[str, Any], what: str, specialties: tuple[Specialty, ...]
    ) -> Expectations | None:
        if "expectations" not in m:
            return None
        r = self.r
        value = r.mapping(m["expectations"], line_of(m, "expectations"), f"{what}: 'expectations'")
        if value is None:
            return None
        label = f"{what}: expectations"
        r.keys(value, label, EXPECTATIONS_KEYS, ("title", "items"))
        segments = [s.id for s in specialties]
        items: list[Expectation] = []
        seen: dict[str, int | None] = {}
        for item_map, _line in self.list_of_mappings(value, "items", label):
            item = self.expectation(item_map, segments)
            if item is None:
                continue
            if item.id in seen:
                r.error(
                    line_of(item_map, "id"),
                    f"duplicate expectation id {item.id!r} (also at line {seen[item.id]})",
                )
                continue
            seen[item.id] = line_of(item_map, "id")
            items.append(item)
        title = r.string(value, "title", label)
        return Expectations(
            title or "", tuple(items), self.source(value, label), r.notes(value, label)
        )

    def expectation(self, m: Mapping[str, Any], segments: list[str]) -> Expectation | None:
        r = self.r
        item_id = r.ident(m, "id", "expectation")
        what = f"expectation {item_id!r}" if item_id else "expectation"
        r.keys(m, what, EXPECTATION_KEYS, ("id", "title", "context", "measures"))
        title = r.string(m, "title", what)
        context = r.items(m, "context", what)
        measures: list[Measure] = []
        for index, (measure, _line) in enumerate(self.list_of_mappings(m, "measures", what)):
            label = f"{what}: measures[{index}]"
            r.keys(measure, label, MEASURE_KEYS, ("text",))
            text = r.string(measure, "text", label)
            chosen: list[str] = []
            for segment, line in r.ids(measure, "segments", label):
                if segment not in segments:
                    r.error(
                        line,
                        f"{label}: unknown segment {segment!r}: segments are the family's "
                        f"specialties{did_you_mean(segment, segments)}",
                    )
                else:
                    chosen.append(segment)
            if text is not None:
                measures.append(Measure(text, tuple(chosen), r.string(measure, "lead_in", label)))
        url = r.string(m, "url", what)
        source_line = r.integer(m, "source_line", what, 1)
        if item_id is None or title is None or not context or not measures:
            return None
        return Expectation(item_id, title, context, tuple(measures), url, source_line)


def competency_sets(
    data: Mapping[str, Any], reader: Reader, seen_sets: dict[str, tuple[str, int | None]]
) -> tuple[CompetencySet, ...]:
    r = reader
    r.keys(data, "competencies file", COMPETENCIES_FILE_KEYS, ("sets",))
    builder = FamilyBuilder(r, Collected([], {}, {}, {}, {}))
    builder.source(data, "competencies file")
    out: list[CompetencySet] = []
    for value, _line in builder.list_of_mappings(data, "sets", "competencies file"):
        set_id = r.ident(value, "id", "competency set")
        what = f"competency set {set_id!r}" if set_id else "competency set"
        r.keys(value, what, SET_KEYS, ("id", "title", "competencies"))
        title = r.string(value, "title", what)
        competencies: list[Competency] = []
        seen: dict[str, int | None] = {}
        for comp, _cline in builder.list_of_mappings(value, "competencies", what):
            comp_id = r.ident(comp, "id", "competency")
            label = f"competency {comp_id!r}" if comp_id else "competency"
            r.keys(comp, label, COMPETENCY_KEYS, ("id", "name", "description"))
            name = r.string(comp, "name", label)
            description = r.string(comp, "description", label)
            if comp_id is None or name is None or description is None:
                continue
            if comp_id in seen:
                r.error(
                    line_of(comp, "id"),
                    f"duplicate competency id {comp_id!r} in {what} (also at line {seen[comp_id]})",
                )
                continue
            seen[comp_id] = line_of(comp, "id")
            competencies.append(Competency(comp_id, name, description))
        intro = r.strings(value, "intro", what)
        notes = r.notes(value, what)
        if set_id is None or title is None or not competencies:
            continue
        if set_id in seen_sets:
            r.error(
                line_of(value, "id"),
                f"duplicate competency set id {set_id!r} (also at {where(*seen_sets[set_id])})",
            )
            continue
        seen_sets[set_id] = (r.file, line_of(value, "id"))
        out.append(CompetencySet(set_id, title, tuple(competencies), intro, notes))
    return tuple(out)
