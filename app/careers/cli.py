"""``flask ladder …``: the ladder tools (pure, from :mod:`ladder.cli`) and ``flask ladder pdf``,
every role description of the ladder as PDF files in a zip."""

from __future__ import annotations

import os
import tempfile
import zipfile
from pathlib import Path

import click
from flask.cli import with_appcontext

from app.careers.documents import file_name, get_role_description_pdf, variants
from app.ladder_access import get_ladder
from app.pdf import PAPERS
from ladder.cli import build_parser
from ladder.cli import main as ladder_main

#: Entries carry a fixed date, so the same ladder always gives the same zip.
ZIP_DATE = (1980, 1, 1, 0, 0, 0)


def _label(item: tuple[str, str | None] | None) -> str | None:
    if item is None:
        return None
    level_id, specialty_id = item
    return f"{level_id} / {specialty_id}" if specialty_id else level_id


@click.command("ladder-pdf")
@click.option("--all", "everything", is_flag=True, help="Every role description of the ladder.")
@click.option(
    "--level",
    "levels",
    multiple=True,
    metavar="LEVEL",
    help="Only this level and its specialties (repeatable).",
)
@click.option("--paper", type=click.Choice(PAPERS), default="a4", show_default=True)
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def ladder_pdf(everything: bool, levels: tuple[str, ...], paper: str, out: Path) -> None:
    """Write role descriptions (each level, and each level + specialty) into the zip OUT.

    Levels defined on another handbook page are left out. PDFs already in the cache are
    not rendered again.
    """
    if everything == bool(levels):
        raise click.UsageError("Give either --all or one or more --level LEVEL.")
    ladder = get_ladder()
    items = list(variants(ladder))
    if levels:
        known = {level_id for level_id, _specialty in items}
        missing = [level_id for level_id in levels if level_id not in known]
        if missing:
            raise click.BadParameter(
                f"no role description for {', '.join(missing)} (unknown, or defined elsewhere)",
                param_hint="--level",
            )
        items = [item for item in items if item[0] in levels]

    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp")
    rendered = 0
    try:
        with (
            os.fdopen(fd, "wb") as fh,
            zipfile.ZipFile(fh, "w", zipfile.ZIP_STORED) as archive,
            click.progressbar(
                items, label="Role descriptions", item_show_func=_label, show_pos=True
            ) as bar,
        ):
            for level_id, specialty_id in bar:
                result = get_role_description_pdf(ladder, level_id, specialty_id, paper)
                rendered += not result.cache_hit
                entry = zipfile.ZipInfo(file_name(level_id, specialty_id, paper), ZIP_DATE)
                entry.external_attr = 0o644 << 16
                archive.writestr(entry, result.data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    click.echo(
        f"Wrote {len(items)} role descriptions ({paper}) to {out} "
        f"({rendered} rendered, {len(items) - rendered} from the cache)."
    )


#: The command the app adds to the pure ones, as the help lists it.
PDF_HELP = "role descriptions as PDF files in a zip (flask ladder pdf --help)"


def ladder_help() -> str:
    """The pure ladder tools' help under the name they run by here, listing ``pdf`` too."""
    parser = build_parser()
    parser.prog = "flask ladder"
    lines = parser.format_help().splitlines(keepends=True)
    # The command list: "    name      help"; pdf goes after the last one, aligned with it.
    listed = [i for i, line in enumerate(lines) if line.startswith("    ") and line[4] != " "]
    last = lines[listed[-1]]
    width = len(last) - 4 - len(last[4:].split(maxsplit=1)[1])
    lines.insert(listed[-1] + 1, f"    {'pdf'.ljust(width)}{PDF_HELP}\n")
    return "".join(lines)


@click.command(
    "ladder",
    context_settings={"ignore_unknown_options": True, "allow_extra_args": True},
    add_help_option=False,
)
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
@click.pass_context
def ladder_cli(ctx: click.Context, args: tuple[str, ...]) -> None:
    """The ladder tools: validate, list, show, diff, path, import, export, pdf (see --help)."""
    if args in (("--help",), ("-h",)):
        click.echo(ladder_help(), nl=False)
        return
    if args[:1] == ("pdf",):
        # Role-description PDFs need the app (templates, cache); the rest is pure ladder.
        with ladder_pdf.make_context("ladder pdf", list(args[1:]), parent=ctx) as sub:
            ladder_pdf.invoke(sub)
        return
    ctx.exit(ladder_main(list(args)))
