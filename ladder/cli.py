"""``python -m ladder``: validate, list, show, diff, path, import and export.

Each command is a function ``(args, out, err) -> exit status`` built on data functions
(``*_data``) that return plain JSON-ready values, so other front ends (``flask ladder``,
the JSON API) reuse them unchanged. Exit status: 0 success, 1 validation errors, 2 usage
errors.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TextIO

from ladder.loader import DATA_DIR, LoadResult, build_ladder, load_family_documents, load_ladder
from ladder.model import KIND_LABELS, KINDS, Ladder, Level, Problem
from ladder.resolve import (
    LevelDiff,
    ListDiff,
    ResolutionError,
    ResolvedItem,
    ResolvedLevel,
    diff_levels,
    extended_levels,
    moves,
    next_levels,
    reports_to_chain,
    resolve_level,
    track_of,
)
from ladder.schema import did_you_mean
from ladder.writing import dump_family

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_USAGE = 2


class UsageError(Exception):
    """A bad argument (unknown id, missing path): exit status 2."""


# ---------------------------------------------------------------------------------------------
# Data for each command (JSON-ready)


def display_path(file: str) -> str:
    """A path relative to the working directory when it is below it."""
    try:
        relative = os.path.relpath(file)
    except ValueError:
        return file
    return file if relative.startswith("..") else relative


def problem_data(problem: Problem) -> dict[str, Any]:
    return {
        "file": display_path(problem.file),
        "line": problem.line,
        "severity": problem.severity.value,
        "message": problem.message,
    }


def format_problem(problem: Problem) -> str:
    return str(Problem(display_path(problem.file), problem.line, problem.message, problem.severity))


def sorted_problems(problems: Sequence[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: (p.file, p.line or 0))


def validate_data(result: LoadResult) -> dict[str, Any]:
    problems = sorted_problems(result.problems)
    return {
        "ok": result.ok,
        "version": result.ladder.version,
        "errors": len(result.errors),
        "notes": len(result.notes),
        "problems": [problem_data(p) for p in problems],
    }


def level_summary(level: Level) -> dict[str, Any]:
    return {
        "id": level.id,
        "title": level.title,
        "short_title": level.short_title,
        "grade": level.grade,
        "track": level.track.value,
        "family": level.family,
        "defined_elsewhere": level.defined_elsewhere,
    }


def list_data(ladder: Ladder) -> dict[str, Any]:
    return {
        "version": ladder.version,
        "families": [
            {
                "id": family.id,
                "title": family.title,
                "levels": [level_summary(level) for level in family.levels],
                "specialties": [
                    {"id": s.id, "title": s.title, "applies_to": list(s.applies_to)}
                    for s in family.specialties
                ],
            }
            for family in ladder.families
        ],
    }


def resolved_item_data(item: ResolvedItem) -> dict[str, Any]:
    return {
        "text": item.text,
        "items": list(item.items),
        "from": item.origin,
        "from_kind": item.origin_kind,
    }


def show_data(ladder: Ladder, level_id: str, specialty_id: str | None = None) -> dict[str, Any]:
    resolved = resolve_level(ladder, level_id, specialty_id)
    level = resolved.level
    reports_to = (
        None
        if level.reports_to is None
        else {"levels": list(level.reports_to.levels), "text": level.reports_to.text}
    )
    data: dict[str, Any] = {
        "id": level.id,
        "title": level.title,
        "short_title": level.short_title,
        "grade": level.grade,
        "track": level.track.value,
        "family": level.family,
        "specialty": resolved.specialty.id if resolved.specialty is not None else None,
        "reports_to": reports_to,
        "description": list(level.description),
        "market_justification": level.market_justification,
        "defined_elsewhere": level.defined_elsewhere,
        "version": ladder.version,
    }
    for kind in KINDS:
        data[kind] = [resolved_item_data(item) for item in resolved.of(kind)]
    data["other_lists"] = [
        {
            "title": other.title,
            "items": [{"text": i.text, "items": list(i.items)} for i in other.items],
        }
        for other in level.other_lists
    ]
    return data


def _list_diff_data(diff: ListDiff) -> dict[str, Any]:
    return {
        "added": [resolved_item_data(item) for item in diff.added],
        "kept": [resolved_item_data(item) for item in diff.kept],
        "dropped": [resolved_item_data(item) for item in diff.dropped],
    }


def diff_data(diff: LevelDiff) -> dict[str, Any]:
    data: dict[str, Any] = {
        "from": diff.source.level.id,
        "to": diff.target.level.id,
        "from_specialty": diff.source.specialty.id if diff.source.specialty else None,
        "to_specialty": diff.target.specialty.id if diff.target.specialty else None,
    }
    for kind in KINDS:
        data[kind] = _list_diff_data(diff.of(kind))
    return data


def path_data(ladder: Ladder, level_id: str) -> dict[str, Any]:
    level = ladder.levels_by_id.get(level_id)
    if level is None:
        raise UsageError(_unknown_level(ladder, level_id))
    return {
        "id": level.id,
        "title": level.title,
        "grade": level.grade,
        "track": level.track.value,
        "family": level.family,
        "track_levels": [lv.id for lv in track_of(ladder, level.id)],
        "extends": [lv.id for lv in extended_levels(ladder, level_id)],
        "next": [level_summary(lv) for lv in next_levels(ladder, level_id)],
        "reports_to_chain": [[lv.id for lv in step] for step in reports_to_chain(ladder, level_id)],
        "moves": [
            {"text": move.text, "family": move.family, "level": move.level}
            for move in moves(ladder, level_id)
        ],
    }


def _unknown_level(ladder: Ladder, level_id: str) -> str:
    return f"unknown level {level_id!r}{did_you_mean(level_id, ladder.levels_by_id)}"


# ---------------------------------------------------------------------------------------------
# Text output


def _write_json(out: TextIO, data: Any) -> None:
    out.write(json.dumps(data, ensure_ascii=False, indent=2))
    out.write("\n")


def _level_name(ladder: Ladder, level_id: str) -> str:
    level = ladder.levels_by_id.get(level_id)
    return level_id if level is None else f"{level.name} ({level_id})"


def _write_item(
    out: TextIO, mark: str, text: str, items: Sequence[str], origin: str | None
) -> None:
    out.write(f"  {mark} {text}  [{origin}]\n" if origin else f"  {mark} {text}\n")
    for sub in items:
        out.write(f"      · {sub}\n")


def write_show(out: TextIO, ladder: Ladder, resolved: ResolvedLevel) -> None:
    level = resolved.level
    family = resolved.family
    heading = level.title
    if resolved.specialty is not None:
        heading = f"{level.title} — {resolved.specialty.title}"
    out.write(f"{heading} ({level.id})\n")
    out.write(f"family: {family.title} ({family.id})\n")
    grade = "not stated" if level.grade is None else str(level.grade)
    out.write(f"grade: {grade}   track: {level.track.value.replace('_', ' ')}\n")
    if level.reports_to is not None:
        ids = ", ".join(level.reports_to.levels)
        text = level.reports_to.text or ""
        joined = f"{text} → {ids}" if text and ids else text or ids
        out.write(f"reports to: {joined}\n")
    if level.defined_elsewhere:
        out.write(f"defined elsewhere: {level.defined_elsewhere}\n")
    for paragraph in level.description:
        out.write(f"\n{paragraph}\n")
    if level.market_justification:
        out.write(f"\nMarket justification: {level.market_justification}\n")
    for kind in KINDS:
        items = resolved.of(kind)
        if not items:
            continue
        out.write(f"\n{KIND_LABELS[kind]}\n")
        for item in items:
            _write_item(out, "-", item.text, item.items, item.origin)
    for other in level.other_lists:
        out.write(f"\n{other.title}\n")
        for entry in other.items:
            _write_item(out, "-", entry.text, entry.items, None)


def write_diff(out: TextIO, ladder: Ladder, diff: LevelDiff, show_kept: bool) -> None:
    source = _level_name(ladder, diff.source.level.id)
    target = _level_name(ladder, diff.target.level.id)
    if diff.source.specialty is not None:
        source += f" + {diff.source.specialty.id}"
    if diff.target.specialty is not None:
        target += f" + {diff.target.specialty.id}"
    out.write(f"{source} → {target}\n")
    for kind in KINDS:
        part = diff.of(kind)
        counts = f"{len(part.added)} added, {len(part.kept)} kept, {len(part.dropped)} dropped"
        out.write(f"\n{KIND_LABELS[kind]}: {counts}\n")
        for item in part.added:
            _write_item(out, "+", item.text, item.items, item.origin)
        for item in part.dropped:
            _write_item(out, "-", item.text, item.items, item.origin)
        if show_kept:
            for item in part.kept:
                _write_item(out, "=", item.text, item.items, item.origin)


def write_path(out: TextIO, ladder: Ladder, data: dict[str, Any]) -> None:
    level = ladder.level(data["id"])
    grade = "grade not stated" if level.grade is None else f"grade {level.grade}"
    out.write(f"{level.title} ({level.id}), {grade}, {level.track.value.replace('_', ' ')}\n")
    out.write(f"family: {ladder.family(level.family).title} ({level.family})\n")
    track = " → ".join(data["track_levels"])
    out.write(f"track: {track}\n")
    builds_on = ", ".join(_level_name(ladder, i) for i in data["extends"]) or "—"
    out.write(f"builds on: {builds_on}\n")
    following = ", ".join(_level_name(ladder, n["id"]) for n in data["next"]) or "—"
    out.write(f"next: {following}\n")
    chain = " → ".join(" | ".join(step) for step in data["reports_to_chain"]) or "—"
    out.write(f"reports-to chain: {chain}\n")
    if data["moves"]:
        out.write("moves to other families:\n")
        for move in data["moves"]:
            target = move["level"] or move["family"]
            suffix = f" → {target}" if target else ""
            out.write(f"  - {move['text']}{suffix}\n")


def write_list(out: TextIO, ladder: Ladder) -> None:
    for index, family in enumerate(ladder.families):
        if index:
            out.write("\n")
        out.write(f"{family.title} ({family.id})\n")
        width = max(len(level.id) for level in family.levels) if family.levels else 0
        for level in family.levels:
            grade = "-" if level.grade is None else str(level.grade)
            track = "IC " if level.track.value == "individual_contributor" else "mgr"
            elsewhere = "  (defined elsewhere)" if level.defined_elsewhere else ""
            out.write(f"  {level.id:<{width}}  {grade:>2}  {track}  {level.title}{elsewhere}\n")
        if family.specialties:
            names = ", ".join(s.id for s in family.specialties)
            out.write(f"  specialties: {names}\n")


# ---------------------------------------------------------------------------------------------
# Commands


def _load(args: argparse.Namespace, err: TextIO) -> Ladder | None:
    result = load_ladder(args.data)
    if not result.ok:
        for problem in sorted_problems(result.errors):
            err.write(format_problem(problem) + "\n")
        err.write(f"{len(result.errors)} error(s) in the ladder data; run 'validate'\n")
        return None
    return result.ladder


def cmd_validate(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    directory: Path = args.directory or args.data or DATA_DIR
    if not directory.is_dir():
        raise UsageError(f"not a directory: {directory}")
    result = load_ladder(directory)
    if args.json:
        _write_json(out, validate_data(result))
        return EXIT_OK if result.ok else EXIT_INVALID
    for problem in sorted_problems(result.problems):
        out.write(format_problem(problem) + "\n")
    ladder = result.ladder
    summary = (
        f"{len(ladder.families)} families, {len(ladder.levels_by_id)} levels, "
        f"{sum(len(f.specialties) for f in ladder.families)} specialties; "
        f"{len(result.errors)} errors, {len(result.notes)} notes; version {ladder.version[:12]}"
    )
    out.write(("ok: " if result.ok else "invalid: ") + summary + "\n")
    return EXIT_OK if result.ok else EXIT_INVALID


def cmd_list(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    ladder = _load(args, err)
    if ladder is None:
        return EXIT_INVALID
    if args.json:
        _write_json(out, list_data(ladder))
    else:
        write_list(out, ladder)
    return EXIT_OK


def _check_level(ladder: Ladder, level_id: str) -> None:
    if level_id not in ladder.levels_by_id:
        raise UsageError(_unknown_level(ladder, level_id))


def cmd_show(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    ladder = _load(args, err)
    if ladder is None:
        return EXIT_INVALID
    _check_level(ladder, args.level)
    try:
        if args.json:
            _write_json(out, show_data(ladder, args.level, args.specialty))
        else:
            write_show(out, ladder, resolve_level(ladder, args.level, args.specialty))
    except ResolutionError as exc:
        raise UsageError(str(exc)) from exc
    return EXIT_OK


def cmd_diff(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    ladder = _load(args, err)
    if ladder is None:
        return EXIT_INVALID
    _check_level(ladder, args.source)
    _check_level(ladder, args.target)
    try:
        diff = diff_levels(ladder, args.source, args.target, args.from_specialty, args.to_specialty)
    except ResolutionError as exc:
        raise UsageError(str(exc)) from exc
    if args.json:
        _write_json(out, diff_data(diff))
    else:
        write_diff(out, ladder, diff, args.kept)
    return EXIT_OK


def cmd_path(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    ladder = _load(args, err)
    if ladder is None:
        return EXIT_INVALID
    data = path_data(ladder, args.level)
    if args.json:
        _write_json(out, data)
    else:
        write_path(out, ladder, data)
    return EXIT_OK


def _handbook(name: str, err: TextIO) -> Callable[..., Any] | None:
    """``ladder.handbook.<name>``, or ``None`` (reported) when it is not available."""
    try:
        module = importlib.import_module("ladder.handbook")
    except ImportError as exc:
        err.write(f"handbook import/export is not available: {exc}\n")
        return None
    func = getattr(module, name, None)
    if not callable(func):
        err.write(f"handbook import/export is not available: no ladder.handbook.{name}\n")
        return None
    return func  # type: ignore[no-any-return]


def _warning_data(warning: Any) -> dict[str, Any]:
    return {
        "file": display_path(str(getattr(warning, "file", ""))),
        "line": getattr(warning, "line", None),
        "message": str(getattr(warning, "message", warning)),
    }


def check_imported(data: dict[str, Any], directory: Path | None = None) -> list[Problem]:
    """Validate an imported family against the ladder it would join (same id replaced)."""
    family_id = data.get("id")
    name = f"{family_id}.yaml" if isinstance(family_id, str) else "imported.yaml"
    documents = [
        (file, doc) for file, doc in load_family_documents(directory) if Path(file).name != name
    ]
    documents.append((name, data))
    result = build_ladder(documents)
    return [p for p in result.errors if p.file == name]


def cmd_import(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    path: Path = args.page
    if not path.exists():
        raise UsageError(f"no such file or folder: {path}")
    import_path = _handbook("import_path", err)
    if import_path is None:
        return EXIT_INVALID
    context: Ladder | None = None
    if not args.standalone:
        # Other families resolve the page's references to them ("VP of Customer Success").
        loaded = load_ladder(args.data)
        context = loaded.ladder if loaded.ok else None
    result = import_path(path, context=context)
    data: dict[str, Any] = result.data
    warnings = [_warning_data(w) for w in result.warnings]
    problems = check_imported(data, args.data)
    report = getattr(result, "report", None)
    if args.output is not None:
        args.output.write_text(dump_family(data), encoding="utf-8")
    if args.json:
        payload: dict[str, Any] = {
            "family": data,
            "warnings": warnings,
            "problems": [problem_data(p) for p in problems],
        }
        if report is not None:
            payload["report"] = _report_data(report.as_dict())
        _write_json(out, payload)
    else:
        if args.output is None and not args.report:
            out.write(dump_family(data))
        if args.report and report is not None:
            out.write(report.render(display_path))
        for warning in warnings:
            where = (
                warning["file"]
                if warning["line"] is None
                else (f"{warning['file']}:{warning['line']}")
            )
            err.write(f"{where}: warning: {warning['message']}\n")
        for problem in problems:
            err.write(f"{format_problem(problem)}\n")
    incomplete = report is not None and not report.complete
    if args.strict and (problems or incomplete):
        return EXIT_INVALID
    return EXIT_OK


def _report_data(report: dict[str, Any]) -> dict[str, Any]:
    """The coverage report with file names shown as the other commands show them."""
    for key in ("placements", "unplaced_items", "unplaced_sections"):
        for entry in report.get(key, ()):
            entry["file"] = display_path(str(entry["file"]))
    return report


def cmd_export(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    ladder = _load(args, err)
    if ladder is None:
        return EXIT_INVALID
    if args.family not in ladder.families_by_id:
        hint = did_you_mean(args.family, ladder.families_by_id)
        raise UsageError(f"unknown family {args.family!r}{hint}")
    export_family = _handbook("export_family", err)
    if export_family is None:
        return EXIT_INVALID
    markdown: str = export_family(ladder, args.family)
    if args.output is not None:
        args.output.write_text(markdown, encoding="utf-8")
    if args.json:
        _write_json(out, {"family": args.family, "markdown": markdown})
    elif args.output is None:
        out.write(markdown if markdown.endswith("\n") else markdown + "\n")
    return EXIT_OK


# ---------------------------------------------------------------------------------------------
# Parser and entry point

Command = Callable[[argparse.Namespace, TextIO, TextIO], int]


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--json", action="store_true", help="print JSON for scripts")
    common.add_argument(
        "--data",
        type=Path,
        default=None,
        metavar="DIR",
        help="ladder data directory (default: the shipped ladder/data)",
    )
    parser = argparse.ArgumentParser(
        prog="python -m ladder",
        description="Career ladder data: validate, browse, compare, import and export.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    validate = commands.add_parser(
        "validate", parents=[common], help="check the data; list errors and notes"
    )
    validate.add_argument("directory", nargs="?", type=Path, metavar="DIR")
    validate.set_defaults(func=cmd_validate)

    listing = commands.add_parser("list", parents=[common], help="families, levels, specialties")
    listing.set_defaults(func=cmd_list)

    show = commands.add_parser(
        "show", parents=[common], help="a level's resolved lists, each item with its origin"
    )
    show.add_argument("level", metavar="LEVEL")
    show.add_argument("--specialty", metavar="S", help="the level's variant for a specialty")
    show.set_defaults(func=cmd_show)

    diff = commands.add_parser("diff", parents=[common], help="what changes from A to B")
    diff.add_argument("source", metavar="A")
    diff.add_argument("target", metavar="B")
    diff.add_argument("--from-specialty", metavar="S", help="specialty variant of A")
    diff.add_argument("--to-specialty", metavar="S", help="specialty variant of B")
    diff.add_argument("--kept", action="store_true", help="also list the items kept")
    diff.set_defaults(func=cmd_diff)

    path = commands.add_parser(
        "path", parents=[common], help="track, next levels, reports-to chain, moves"
    )
    path.add_argument("level", metavar="LEVEL")
    path.set_defaults(func=cmd_path)

    importer = commands.add_parser(
        "import", parents=[common], help="a handbook job-family page (or folder) as family YAML"
    )
    importer.add_argument("page", type=Path, metavar="PAGE_OR_FOLDER")
    importer.add_argument("-o", "--output", type=Path, metavar="FILE", help="write the YAML")
    importer.add_argument(
        "--strict",
        action="store_true",
        help="exit 1 when the result does not validate or a list item or section of the "
        "page was not placed",
    )
    importer.add_argument(
        "--report",
        action="store_true",
        help="print the coverage report (where each list item of the page went, what was "
        "not placed) instead of the YAML; with --json it is always included",
    )
    importer.add_argument(
        "--standalone",
        action="store_true",
        help="read the page alone, without resolving references to the loaded families",
    )
    importer.set_defaults(func=cmd_import)

    exporter = commands.add_parser(
        "export", parents=[common], help="a family as a handbook markdown page"
    )
    exporter.add_argument("family", metavar="FAMILY")
    exporter.add_argument("-o", "--output", type=Path, metavar="FILE", help="write the page")
    exporter.set_defaults(func=cmd_export)
    return parser


def main(
    argv: list[str] | None = None, out: TextIO | None = None, err: TextIO | None = None
) -> int:
    """Run one command; returns the exit status (0 ok, 1 invalid data, 2 usage error)."""
    stdout = sys.stdout if out is None else out
    stderr = sys.stderr if err is None else err
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    func: Command = args.func
    try:
        return func(args, stdout, stderr)
    except UsageError as exc:
        stderr.write(f"{parser.prog} {args.command}: error: {exc}\n")
        return EXIT_USAGE


__all__ = [
    "EXIT_INVALID",
    "EXIT_OK",
    "EXIT_USAGE",
    "build_parser",
    "check_imported",
    "diff_data",
    "list_data",
    "main",
    "path_data",
    "show_data",
    "validate_data",
]
