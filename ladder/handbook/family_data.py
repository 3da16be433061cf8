"""What the walk found, as the mapping of a family file: grades from reports-to sentences
and the levels table, ids, references resolved (extends, reports-to, the level conducting
a stage, career moves), tracks, and the keys in the documented order."""

from __future__ import annotations

import re
from typing import Any

from ladder.handbook.matching import TitleMatcher
from ladder.handbook.phrases import grade_subject, split_alternatives
from ladder.handbook.stages import COUNT_WORDS, conductor_text, find_duration, roles_in
from ladder.handbook.state import LIST_KINDS, Entity, FoundStage, PendingRef
from ladder.handbook.titles import RANK_WORDS, level_slug, slugify, title_tokens

_SENIORITY_WORDS = frozenset(
    ("associate", "junior", "senior", "staff", "principal", "distinguished", "fellow")
)


_ROLE_NOUNS = frozenset(
    (
        "manager",
        "engineer",
        "leader",
        "leadership",
        "architect",
        "designer",
        "developer",
        "analyst",
        "specialist",
        "consultant",
        "representative",
        "director",
        "lead",
        "administrator",
        "scientist",
        "writer",
        "researcher",
        "partner",
        "executive",
        "advocate",
        "strategist",
        "coordinator",
        "officer",
        "owner",
        "operator",
    )
)


class FamilyData(TitleMatcher):
    """Builds the family mapping from the state."""

    def finish(self) -> dict[str, Any]:
        self.single_level()
        self.apply_reports_grades()
        self.apply_rows()
        self.assign_ids()
        self.promote_specialties()
        self.assign_ids()
        levels = [self.level_data(e) for e in self.levels]
        data: dict[str, Any] = {"id": self.family_id, "title": self.title}
        if self.description:
            data["description"] = self.description
        data["source"] = {"file": self.source_file}
        if self.intro:
            data["intro"] = list(self.intro)
        for kind in LIST_KINDS:
            if self.family_lists.get(kind):
                data[kind] = self.family_lists[kind]
        if any(self.family_other.values()):
            data["other_lists"] = _other_lists(self.family_other)
        if not levels:
            self.warn(self.source_file, 1, "no level found on the page")
        data["levels"] = levels
        specialties = [self.specialty_data(e) for e in self.specialties]
        if specialties:
            data["specialties"] = specialties
        career = self.career_data()
        if career:
            data["career_ladder"] = career
        hiring = self.hiring_data()
        if hiring:
            data["hiring_process"] = hiring
        return data

    def single_level(self) -> None:
        """A page without level headings whose lists are written for the role as a whole
        ("## Responsibilities", "## Requirements" under the family title) defines one
        level: the family's title, with those lists, and the grade and reports-to
        sentences the page gives outside any heading of a level."""
        if not (self.family_lists.get("responsibilities") or self.family_lists.get("requirements")):
            return
        if self.levels:
            self.base_level()
            return
        if self.rows and not any(
            self.names_same_exactly(row.title, self.title) and not row.url for row in self.rows
        ):
            # Levels only in a table: the page describes none of them in particular.
            return
        file, line = self.first_list_item()
        entity = Entity("level", self.title, line, file, 1)
        self.add_name(entity, self.title)
        entity.lists = self.family_lists
        entity.other = self.family_other
        self.family_lists, self.family_other = {}, {}
        for key, (where, found, kind, how) in list(self.placed.items()):
            if where == "family" and found is None and how in ("item", "inheritance"):
                self.placed[key] = ("level", entity, kind, how)
        for grade, text, _line, _file in self.loose_grades:
            subject = grade_subject(text)
            if subject and not self.entity_matches(entity, subject):
                continue
            entity.grade = grade
            break
        for subject, target, _text, line, _file in self.loose_reports:
            if subject and not self.entity_matches(entity, subject):
                continue
            entity.reports_to = target
            entity.reports_line = line
            break
        self.warn(
            entity.file,
            entity.line,
            f"no level heading: the page is read as the single level {self.title!r}",
        )
        self.levels.append(entity)

    def base_level(self) -> None:
        """Levels under headings, and the family's lists with a grade sentence about the
        family's own title outside them ("## Job grade": "The Vulnerability Research
        Engineer is a grade 6"): that sentence defines the base level, and the family's
        lists are its lists."""
        if any(self.names_same_exactly(e.title, self.title) for e in self.levels):
            return
        found = next(
            (
                (grade, line, file)
                for grade, text, line, file in self.loose_grades
                if (subject := grade_subject(text)) and self.names_same_exactly(subject, self.title)
            ),
            None,
        )
        if found is None:
            return
        grade, line, file = found
        entity = Entity("level", self.title, line, file, 1, grade=grade)
        self.add_name(entity, self.title)
        # The lists written before the levels are the base level's; those after them
        # ("## Performance Indicators" at the end) stay the family's.
        first = min((e.line for e in self.levels if e.file == file), default=0)
        lines: dict[str, list[int]] = {}
        for (item_file, item_line), (where, placed, kind, how) in self.placed.items():
            if where == "family" and placed is None and how in ("item", "inheritance"):
                lines.setdefault(kind, []).append(item_line if item_file == file else first)
        moving = {kind for kind, found_lines in lines.items() if max(found_lines) < first}
        for kind in moving:
            source = self.family_lists if kind in LIST_KINDS else self.family_other
            target = entity.lists if kind in LIST_KINDS else entity.other
            target[kind] = source.pop(kind, [])
        for key, (where, placed, kind, how) in list(self.placed.items()):
            if where == "family" and placed is None and kind in moving:
                self.placed[key] = ("level", entity, kind, how)
        self.warn(
            file,
            line,
            f"the grade sentence names the family; read as its base level {self.title!r} "
            "with the family's lists",
        )
        at = next(
            (i for i, e in enumerate(self.levels) if e.file == file and e.line > line),
            len(self.levels),
        )
        self.levels.insert(at, entity)

    def first_list_item(self) -> tuple[str, int]:
        """Where the family's first list item is (the single level's line)."""
        found = [key for key, placed in self.placed.items() if placed[0] == "family"]
        return min(found, key=lambda key: key[1]) if found else (self.source_file, 1)

    def apply_reports_grades(self) -> None:
        """A grade given only in the reports-to sentence is the level's grade."""
        for entity in self.levels:
            grade = entity.reports_grade
            if grade is None:
                continue
            if entity.grade is None:
                entity.grade = grade
            elif entity.grade != grade:
                self.warn(
                    entity.file,
                    entity.reports_line,
                    f"reports-to sentence gives grade {grade} for {entity.title!r}, the "
                    f"page gives {entity.grade} elsewhere; {entity.grade} kept",
                )

    def apply_rows(self) -> None:
        """Grades from the levels table; rows without a section become levels (placed
        where the table puts them), defined elsewhere when they link to another page."""
        matched: dict[int, Entity] = {}
        for entity in self.levels:
            row = self.row_for(entity.title)
            if row is None:
                continue
            row.used = True
            matched[id(row)] = entity
            if entity.grade is None and row.grade is not None:
                entity.grade = row.grade
            elif row.grade is not None and entity.grade != row.grade:
                self.warn(
                    row.file,
                    row.line,
                    f"levels table gives grade {row.grade} for "
                    f"{entity.title!r}, the level gives {entity.grade}; the level's is kept",
                )
        cursor = 0
        sections = bool(self.levels)
        for row in self.rows:
            if row.used:
                cursor = self.levels.index(matched[id(row)]) + 1 if id(row) in matched else cursor
                continue
            elsewhere = bool(row.url) and not row.url.startswith("#")
            if sections and not elsewhere:
                # The page's levels are its sections; a row naming none of them (another
                # name for one, a role the page does not describe) is not a level.
                self.warn(
                    row.file,
                    row.line,
                    f"levels table row {row.title!r} names no level section of the page "
                    "and links to no other page; not kept as a level",
                )
                row.used = True
                continue
            entity = Entity("level", row.title, row.line, row.file, 0, grade=row.grade)
            self.add_name(entity, entity.title)
            if row.url and not row.url.startswith("#"):
                entity.defined_elsewhere = row.url
            else:
                self.warn(
                    row.file,
                    row.line,
                    f"level {row.title!r} is in the levels table but has no section on the page",
                )
            row.used = True
            self.levels.insert(cursor, entity)
            cursor += 1

    def assign_ids(self) -> None:
        seen: set[str] = {self.family_id}  # level ids must not be the family's
        for entity in self.levels:
            if not entity.id:
                entity.id = self.level_id(entity.title)
                if entity.id == self.family_id:
                    # "Product Designer" in the Product Designer family: the level without
                    # a rank word is the intermediate one.
                    words = {w.lower() for w in _ALNUM_RE.findall(entity.title)}
                    suffix = "level" if words & _SENIORITY_WORDS else "intermediate"
                    entity.id = f"{self.family_id}-{suffix}"
            entity.id = self.unique(entity.id, seen, entity)
        seen = set()
        vocabulary = set(_ROLE_NOUNS) | {w.lower() for w in _TITLE_WORD_RE.findall(self.title)}
        for entity in self.levels:
            vocabulary |= {w.lower() for w in _TITLE_WORD_RE.findall(entity.title)} - RANK_WORDS
        for entity in self.specialties:
            if not entity.id:
                entity.id = _specialty_slug(entity.title, vocabulary)
            entity.id = self.unique(entity.id, seen, entity)

    def unique(self, ident: str, seen: set[str], entity: Entity) -> str:
        base, n = ident, 2
        if ident in seen:
            while f"{base}-{n}" in seen:
                n += 1
            ident = f"{base}-{n}"
            self.warn(
                entity.file, entity.line, f"id {base!r} is taken; {entity.title!r} gets {ident!r}"
            )
        seen.add(ident)
        return ident

    def level_id(self, title: str) -> str:
        words = [w.lower() for w in _ALNUM_RE.findall(title)]
        if words and all(w in RANK_WORDS for w in words):
            return level_slug(f"{title} {self.title}", self.abbreviations)
        return level_slug(title, self.abbreviations)

    def promote_specialties(self) -> None:
        """A "specialty" that a level extends is a level (a track under "Specialties")."""
        changed = True
        while changed:
            changed = False
            for entity in list(self.levels):
                for refs in entity.refs.values():
                    for ref in refs:
                        for text in ref.inheritance.refs:
                            target = self.match_entity(text, self.specialties)
                            if (
                                target is not None
                                and not target.corresponding
                                and (self.match_entity(text, self.levels) is None)
                            ):
                                self.warn(
                                    target.file,
                                    target.line,
                                    f"{target.title!r} "
                                    f"under the specialties is extended by "
                                    f"{entity.title!r}; read as a level",
                                )
                                self.specialties.remove(target)
                                target.kind = "level"
                                index = self.levels.index(entity)
                                self.levels.insert(index, target)
                                target.id = ""
                                changed = True

    def short_title(self, entity: Entity) -> str | None:
        """The name the page's sentences use for the level, when it is not the title
        (nor the title in the plural, or with other punctuation)."""
        candidates = [n for n in entity.sentence_names if n and self.entity_matches(entity, n)]
        own = title_tokens(entity.title)
        if not candidates or any(title_tokens(c) == own for c in candidates):
            return None
        best = max(candidates, key=lambda c: (entity.names[c], -candidates.index(c)))
        return None if best == entity.title else best

    def level_data(self, entity: Entity) -> dict[str, Any]:
        extends = self.extends_data(entity)
        self.expand_pending(entity)
        out: dict[str, Any] = {"id": entity.id, "title": entity.title}
        short = self.short_title(entity)
        if short:
            out["short_title"] = short
        if entity.grade is not None:
            out["grade"] = entity.grade
        out["track"] = _track(entity.title)
        out["source_line"] = entity.line
        if entity.reports_to:
            out["reports_to"] = self.reports_to_data(entity)
        if entity.description:
            out["description"] = list(entity.description)
        if entity.market_justification:
            out["market_justification"] = entity.market_justification
        if entity.defined_elsewhere:
            out["defined_elsewhere"] = entity.defined_elsewhere
        if extends:
            out["extends"] = extends
        for kind in LIST_KINDS:
            if entity.lists.get(kind):
                out[kind] = entity.lists[kind]
        if any(entity.other.values()):
            out["other_lists"] = _other_lists(entity.other)
        if (
            not any(entity.lists.get(k) for k in LIST_KINDS)
            and not extends
            and not (entity.defined_elsewhere)
        ):
            self.warn(entity.file, entity.line, f"level {entity.title!r} has no responsibilities")
        return out

    def extends_data(self, entity: Entity) -> dict[str, list[str]]:
        """The ids the level's inheritance sentences name.  A sentence that names no level
        of the page (or of the known families) unambiguously gives no id: a warning, and
        the item keeps its words."""
        out: dict[str, list[str]] = {}
        for kind in LIST_KINDS:
            ids: list[str] = []
            for ref in entity.refs.get(kind, []):
                fate = "kept as an item" if ref.item else "not kept"
                for text in ref.inheritance.refs:
                    target = self.resolve_ref(text, ref.links, kind)
                    if target is None or target == "?":
                        self.warn(
                            ref.file,
                            ref.line,
                            f"{text!r} names no level of this page; {ref.text!r} {fate}",
                        )
                        continue
                    if target == entity.id:
                        self.warn(
                            ref.file, ref.line, f"{ref.text!r} names the level itself; {fate}"
                        )
                        continue
                    ref.resolved = True
                    if target not in ids:
                        ids.append(target)
            if ids:
                out[kind] = ids
        return out

    def expand_pending(self, entity: Entity) -> None:
        """Inheritance items in their lists: gone when they became ``extends`` (the words
        after the reference stay), kept as items when they did not."""
        for kind in LIST_KINDS:
            values = entity.lists.get(kind)
            if not values:
                continue
            out: list[Any] = []
            for value in values:
                if not isinstance(value, PendingRef):
                    out.append(value)
                elif value.ref.resolved:
                    out.extend(value.rest)
                else:
                    out.append(value.whole)
                    key = (value.ref.file, value.ref.line)
                    if key in self.placed:
                        where, found, list_kind, _ = self.placed[key]
                        self.placed[key] = (where, found, list_kind, "item")
            entity.lists[kind] = out

    def reports_to_data(self, entity: Entity) -> dict[str, Any]:
        text = entity.reports_to or ""
        ids: list[str] = []
        parts = split_alternatives(text)
        resolved = [self.resolve_level(p, exclude=entity) for p in parts]
        if len(parts) > 1 and not all(resolved):
            whole = self.resolve_level(text, exclude=entity)
            if whole is not None:
                resolved = [whole]
        lower = [
            e
            for r in resolved
            for e in self.levels
            if r is not None
            and e.id == r
            and e.grade is not None
            and entity.grade is not None
            and e.grade < entity.grade
        ]
        if lower:
            # A level does not report to one of a lower grade: the words name another role.
            self.warn(
                entity.file,
                entity.reports_line,
                f"reports-to {text!r} would name {lower[0].title!r}, a level of a lower "
                "grade; kept as text",
            )
        elif all(resolved):
            ids = [r for r in resolved if r is not None]
        else:
            missing = [p for p, r in zip(parts, resolved, strict=True) if r is None]
            self.warn(
                entity.file,
                entity.reports_line,
                f"reports-to {', '.join(map(repr, missing))} names no known level; kept as text",
            )
        out: dict[str, Any] = {}
        if ids:
            out["levels"] = list(dict.fromkeys(ids))
        out["text"] = text
        return out

    def specialty_data(self, entity: Entity) -> dict[str, Any]:
        out: dict[str, Any] = {"id": entity.id, "title": entity.title, "source_line": entity.line}
        for kind in LIST_KINDS:
            if entity.lists.get(kind):
                out[kind] = entity.lists[kind]
        if any(entity.other.values()):
            out["other_lists"] = _other_lists(entity.other)
        for refs in entity.refs.values():
            for ref in refs:
                self.warn(ref.file, ref.line, f"{ref.text!r} in a specialty not kept")
        if entity.description:
            self.warn(
                entity.file, entity.line, f"paragraphs of specialty {entity.title!r} not kept"
            )
        if not any(entity.lists.get(k) for k in LIST_KINDS):
            self.warn(entity.file, entity.line, f"specialty {entity.title!r} has no items")
        return out

    def career_data(self) -> dict[str, Any] | None:
        if not self.career_text and not self.career_moves:
            return None
        out: dict[str, Any] = {}
        if self.career_text:
            out["text"] = list(self.career_text)
        else:
            out["text"] = list(self.career_moves)
        targets = list(self.career_moves) if self.career_text else []
        for paragraph in self.career_text:
            targets.extend(_move_targets(paragraph))
        moves = []
        for target in targets:
            move: dict[str, Any] = {"text": target}
            family = self.match_known_family(target, strict=False)
            if family is not None:
                move["family"] = family
            else:
                level = self.match_known_level(target)
                if level is not None:
                    move["level"] = level
            moves.append(move)
        if moves:
            out["moves"] = moves
        return out

    def hiring_data(self) -> dict[str, Any] | None:
        if not self.stages:
            if self.hiring_intro:
                self.warn(
                    self.hiring_file or self.source_file,
                    self.hiring_line,
                    "hiring process without stages not kept",
                )
            return None
        out: dict[str, Any] = {}
        if self.hiring_intro:
            out["intro"] = list(self.hiring_intro)
        seen: set[str] = set()
        stages = []
        for stage in self.stages:
            ident = slugify(stage.name) or "stage"
            base, n = ident, 2
            while ident in seen:
                ident = f"{base}-{n}"
                n += 1
            seen.add(ident)
            stages.append(self.stage_data(stage, ident))
        out["stages"] = stages
        if self.hiring_outro:
            out["outro"] = list(self.hiring_outro)
        return out

    def stage_data(self, stage: FoundStage, ident: str) -> dict[str, Any]:
        out: dict[str, Any] = {"id": ident, "name": stage.name, "source_line": stage.line}
        texts = [p.text for p in stage.paragraphs]
        bullets = list(stage.bullets)
        if not texts:
            texts, bullets = bullets, []
        duration = find_duration(" ".join(texts)) or find_duration(stage.name)
        if duration:
            out["duration_minutes"] = duration
        conducted = self.conducted_by(stage.name, texts)
        if conducted:
            out["conducted_by"] = conducted
        if bullets:
            out["format"] = bullets
        if texts:
            out["text"] = texts
        return out

    def conducted_by(self, name: str, texts: list[str]) -> dict[str, Any] | None:
        joined = " ".join(texts)
        text = conductor_text(joined)
        if text is None:
            return None
        out: dict[str, Any] = {"text": text}
        roles = roles_in(text)
        level = None
        if not roles or roles == ["executive"]:
            count_match = _COUNT_RE.match(text)
            level = self.exact_level(_COUNT_RE.sub("", text))
            if level is not None:
                # A manager level (a director, a VP) is the executive of the process; an
                # individual contributor level is a member of the team.
                entity = next((e for e in self.levels if e.id == level), None)
                manager = _track(entity.title) == "manager" if entity is not None else True
                count = 1
                if count_match:
                    raw = count_match.group(1).lower()
                    count = int(raw) if raw.isdigit() else COUNT_WORDS.get(raw, 1)
                roles = ["executive"] if manager else ["team_member"] * max(1, min(count, 10))
        if not roles and _EXECUTIVE_RE.search(name):
            roles = ["executive"]
        if roles:
            out["roles"] = roles
        if level is not None:
            out["level"] = level
        selected = _SELECTED_BY_RE.search(joined)
        if selected:
            selector = roles_in(selected.group(1))
            if selector:
                out["selected_by"] = selector[0]
        return out


_MANAGER_TITLE_RE = re.compile(
    r"\b(?:director|vp|svp|evp|avp|vice[\s-]+president|head\s+of|chief|officer|supervisor"
    r"|c[a-z]o)\b"
    r"|^(?:(?:senior|sr\.?|associate|group|executive|general|regional|area)\s+)*managers?\b"
    r"|\bmanagers?\s*(?:,|of\b|-|\u2013|\u2014)"
    r"|\b(?:engineering|development|team|people|support|design|security|infrastructure"
    r"|quality|research|frontend|backend|fullstack|delivery)\s+managers?\b",
    re.IGNORECASE,
)


def _track(title: str) -> str:
    """``manager`` for titles that manage people (Manager, X; Director; VP; Head of;
    Engineering Manager), else ``individual_contributor`` (a "Customer Success Manager"
    or "Product Manager" manages accounts or products, not people)."""
    return "manager" if _MANAGER_TITLE_RE.search(title) else "individual_contributor"


def _specialty_slug(title: str, vocabulary: set[str]) -> str:
    text = _PAREN_RE.sub(" ", title)
    pieces = [p for p in _TITLE_PIECES_RE.split(text) if p.strip()]
    if len(pieces) > 1:
        rest = [
            p for p in pieces if not all(w.lower() in vocabulary for w in _TITLE_WORD_RE.findall(p))
        ]
        text = " ".join(rest or pieces)
    words = _SPECIALTY_WORD_RE.findall(text)
    while len(words) > 1 and words[-1].lower() in vocabulary | {
        "specialty",
        "speciality",
        "specialist",
        "track",
    }:
        words.pop()
    return slugify(" ".join(words)) or slugify(title) or "specialty"


def _other_lists(lists: dict[str, list[Any]]) -> list[dict[str, Any]]:
    return [{"title": title, "items": items} for title, items in lists.items() if items]


_MOVE_TAIL_RE = re.compile(r"\s+(?:roles?|positions?|jobs?|tracks?)$", re.I)


_MOVE_RES = [
    re.compile(r"\bsuch\s+as\s+(?P<x>[^.;]+)", re.I),
    re.compile(
        r"\b(?:move|moving|transition|progress|advance|step)\s+(?:in)?to\s+(?P<x>[^.;]+)", re.I
    ),
]


def _move_targets(text: str) -> list[str]:
    for pattern in _MOVE_RES:
        m = pattern.search(text)
        if m:
            found = m.group("x").strip()
            parts = [
                p.strip()
                for p in (_LIST_AND_SPLIT_RE if pattern is _MOVE_RES[0] else _LIST_SPLIT_RE).split(
                    found
                )
                if p.strip()
            ]
            if parts:
                parts[-1] = _MOVE_TAIL_RE.sub("", parts[-1]) or parts[-1]
            return parts
    return []


# Patterns used inline above, compiled once when the module loads.
_TITLE_WORD_RE = re.compile(r"[\w']+")
_ALNUM_RE = re.compile(r"[A-Za-z0-9]+")
_COUNT_RE = re.compile(r"^(\d+|two|three|four|five)\s+", re.I)
_EXECUTIVE_RE = re.compile(r"\bexecutive\b", re.I)
_PAREN_RE = re.compile(r"\([^()]*\)")
_TITLE_PIECES_RE = re.compile(r"\s*[,:\u2013\u2014]\s+|\s+-\s+")
_SPECIALTY_WORD_RE = re.compile(r"[\w'\u2019&]+")
_ID_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_SELECTED_BY_RE = re.compile(
    r"\b(?:are|is|will\s+be|get|gets)\s+(?:selected|chosen|picked|nominated)\s+by\s+"
    r"(?:the\s+|a\s+|an\s+)?([^.,;]+)",
    re.I,
)
_LIST_SPLIT_RE = re.compile(r"\s*,\s*(?:or\s+|and\s+)?|\s+or\s+")
_LIST_AND_SPLIT_RE = re.compile(r"\s*,\s*(?:or\s+|and\s+)?|\s+or\s+|\s+and\s+")
