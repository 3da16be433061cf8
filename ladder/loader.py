"""Load the ladder: read the YAML files of a data directory, build the model and validate it.

The jobs are in their own modules: :mod:`ladder.yaml_lines` reads YAML keeping line
numbers, :mod:`ladder.build` builds the model of each document, :mod:`ladder.validate`
checks the whole ladder; :mod:`ladder.writing` writes family data back as YAML.

Nothing here raises on bad data: every problem becomes a :class:`~ladder.model.Problem`
(``file:line: message``) and the loader carries on, so one run reports all of them.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ladder.build import Collected, FamilyBuilder, competency_sets
from ladder.model import CompetencySet, Family, Ladder, Problem, Severity
from ladder.schema import Reader, line_of
from ladder.validate import check_levels, check_refs
from ladder.yaml_lines import read_yaml_file

DATA_DIR = Path(__file__).resolve().parent / "data"
COMPETENCIES_FILE = "competencies.yaml"


@dataclass(frozen=True, slots=True)
class LoadResult:
    """The ladder built from the files (partial when there are errors) and every problem."""

    ladder: Ladder
    problems: tuple[Problem, ...]
    documents: Mapping[str, Any]

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity is Severity.ERROR)

    @property
    def notes(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity is Severity.NOTE)

    @property
    def ok(self) -> bool:
        return not self.errors


def content_hash(documents: Mapping[str, Any]) -> str:
    """sha256 of a canonical JSON of the parsed documents, keyed by file name."""
    canonical = json.dumps(
        documents, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def build_ladder(documents: Sequence[tuple[str, Any]]) -> LoadResult:
    """Build and validate a ladder from parsed documents ``(file path, data)``.

    A document whose file is named ``competencies.yaml`` holds competency sets; every other
    document is a family. The data may be plain mappings (from the importer) or the
    line-carrying mappings of :func:`ladder.yaml_lines.parse_yaml`.
    """
    problems: list[Problem] = []
    collected = Collected([], {}, {}, {}, {})
    families: list[Family] = []
    sets: list[CompetencySet] = []
    seen_sets: dict[str, tuple[str, int | None]] = {}
    for file, data in documents:
        reader = Reader(file, problems)
        name = Path(file).name
        if data is None:
            continue
        top = reader.mapping(data, line_of(data) or 1, "the top of the file")
        if top is None:
            continue
        if name == COMPETENCIES_FILE:
            sets.extend(competency_sets(top, reader, seen_sets))
            continue
        family = FamilyBuilder(reader, collected).family(top, Path(file).stem)
        if family is not None:
            families.append(family)
    ladder_families = tuple(families)
    levels = {lv.id: lv for fam in ladder_families for lv in fam.levels}
    declared_levels = {**collected.level_lines, **levels}
    declared_families = {**collected.family_lines, **{fam.id: fam for fam in ladder_families}}
    check_refs(
        collected.refs,
        levels,
        declared_levels,
        declared_families,
        (s.id for s in sets),
        problems,
    )
    check_levels(ladder_families, collected, problems)
    by_name = {Path(file).name: data for file, data in documents}
    ladder = Ladder(ladder_families, tuple(sets), content_hash(by_name))
    return LoadResult(ladder, tuple(problems), by_name)


def data_files(directory: Path) -> list[Path]:
    return sorted(p for p in directory.glob("*.yaml") if p.is_file())


def load_ladder(directory: Path | None = None) -> LoadResult:
    """Load, build and validate every ``*.yaml`` file of ``directory`` (default: shipped data)."""
    folder = DATA_DIR if directory is None else directory
    documents: list[tuple[str, Any]] = []
    problems: list[Problem] = []
    files = data_files(folder) if folder.is_dir() else []
    if not folder.is_dir():
        problems.append(Problem(str(folder), None, "not a directory"))
    elif not [p for p in files if p.name != COMPETENCIES_FILE]:
        problems.append(Problem(str(folder), None, "no family files (*.yaml) found"))
    for path in files:
        data, file_problems = read_yaml_file(path)
        problems.extend(file_problems)
        if data is None and not file_problems:
            problems.append(Problem(str(path), None, "the file is empty"))
        documents.append((str(path), data))
    result = build_ladder(documents)
    return LoadResult(result.ladder, (*problems, *result.problems), result.documents)


def load_family_documents(directory: Path | None = None) -> list[tuple[str, Any]]:
    """The parsed documents of a data directory, for :func:`build_ladder` (no validation)."""
    folder = DATA_DIR if directory is None else directory
    return [(str(path), read_yaml_file(path)[0]) for path in data_files(folder)]
