"""Role descriptions: a level (and specialty) of the ladder as a printable document.

:func:`describe` builds the view model from the ladder's resolution; :func:`render_html`
fills the print template; :func:`get_role_description_pdf` returns the PDF from a cache on
disk shared by every process, rendering it only when the cache lacks it.

A cached PDF is found by a key made of the ladder version, the level, the specialty, the
paper size and the layout (a hash of the print template, the print stylesheet and the
WeasyPrint version, so that a new layout never serves an old file). The file name is the
hash of the key, which is also the HTTP ETag. Files are written to a temporary name and
renamed into place, so a reader never sees half a PDF.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path

from flask import Flask, current_app

from app.pdf import (
    attribution,
    check_paper,
    layout_version,
    render_pdf,
    render_print_html,
    static_base_url,
)
from ladder.model import KIND_LABELS, KINDS, Kind, Ladder, Level
from ladder.resolve import (
    ResolvedItem,
    get_level,
    reports_to_levels,
    resolve_level,
    specialty_for,
)
from pipelines.errors import PlanError
from pipelines.plan import build_plan

TEMPLATE = "print/role_description.html"

ROLE_NAMES = {
    "recruiter": "a recruiter",
    "hiring_manager": "the hiring manager",
    "peer": "a peer",
    "team_member": "a team member",
    "executive": "an executive",
}


# --- view model ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DescribedItem:
    text: str
    items: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ItemGroup:
    """Consecutive items of one origin: the role itself, a level it builds on, the family
    or the specialty."""

    origin: str
    origin_kind: str  # "own", "level", "family" or "specialty"
    label: str
    items: tuple[DescribedItem, ...]

    @property
    def own(self) -> bool:
        return self.origin_kind == "own"


@dataclass(frozen=True, slots=True)
class ItemSection:
    kind: Kind
    heading: str
    groups: tuple[ItemGroup, ...]

    @property
    def count(self) -> int:
        return sum(len(group.items) for group in self.groups)


@dataclass(frozen=True, slots=True)
class StageView:
    number: int
    name: str
    duration: str | None
    conducted_by: str | None


@dataclass(frozen=True, slots=True)
class RoleDescription:
    level_id: str
    specialty_id: str | None
    title: str
    specialty_title: str | None
    family_id: str
    family_title: str
    grade: int | None
    track: str
    reports_to: tuple[str, ...]
    reports_to_text: str | None
    description: tuple[str, ...]
    market_justification: str | None
    defined_elsewhere: str | None
    sections: tuple[ItemSection, ...]
    hiring_intro: tuple[str, ...]
    stages: tuple[StageView, ...]
    attribution: str
    source_url: str | None
    ladder_version: str

    @property
    def grade_label(self) -> str:
        return f"Grade {self.grade}" if self.grade is not None else "No grade given"

    @property
    def full_title(self) -> str:
        if self.specialty_title is None:
            return self.title
        return f"{self.title}, {self.specialty_title}"

    @property
    def mixes_origins(self) -> bool:
        """True when some items are not the role's own (inherited, family-wide, specialty)."""
        return any(not group.own for section in self.sections for group in section.groups)

    @property
    def inherits(self) -> bool:
        """True when some items come from other levels or from the whole family."""
        return any(
            group.origin_kind in ("level", "family")
            for section in self.sections
            for group in section.groups
        )

    @property
    def specialty_items(self) -> tuple[ItemGroup, ...]:
        return tuple(
            group
            for section in self.sections
            for group in section.groups
            if group.origin_kind == "specialty"
        )


def _origin(ladder: Ladder, level: Level, item: ResolvedItem) -> tuple[str, str]:
    """(kind, label) of where an item comes from, as the document names it."""
    if item.origin_kind == "specialty":
        family = ladder.family(level.family)
        specialty = family.specialty(item.origin)
        return "specialty", f"Specialty: {specialty.title if specialty else item.origin}"
    if item.origin_kind == "family":
        family = ladder.families_by_id.get(item.origin)
        title = family.title if family is not None else item.origin
        return "family", f"Every level of {title}"
    if item.origin == level.id:
        return "own", f"Specific to {level.title}"
    origin = ladder.levels_by_id.get(item.origin)
    return "level", f"From {origin.title if origin is not None else item.origin}"


def _groups(ladder: Ladder, level: Level, items: tuple[ResolvedItem, ...]) -> tuple[ItemGroup, ...]:
    """Runs of items of the same origin (resolution puts each origin's items together)."""
    groups = []
    for origin, run in groupby(items, key=lambda item: (item.origin, item.origin_kind)):
        run_items = list(run)
        kind, label = _origin(ladder, level, run_items[0])
        described = tuple(DescribedItem(item.text, item.items) for item in run_items)
        groups.append(ItemGroup(origin[0], kind, label, described))
    return tuple(groups)


def _minutes(minutes: int | None) -> str | None:
    if minutes is None:
        return None
    return "1 minute" if minutes == 1 else f"{minutes} minutes"


def _stages(ladder: Ladder, family_id: str) -> tuple[StageView, ...]:
    family = ladder.family(family_id)
    if family.hiring_process is None:
        return ()
    try:
        plan = build_plan(ladder, family_id)
    except PlanError:
        return tuple(
            StageView(
                number,
                stage.name,
                _minutes(stage.duration_minutes),
                stage.conducted_by.text if stage.conducted_by is not None else None,
            )
            for number, stage in enumerate(family.hiring_process.stages, start=1)
        )
    views = []
    for planned in plan.stages:
        conducted = planned.conducted_by
        if conducted is None and planned.roles:
            conducted = ", ".join(ROLE_NAMES.get(role, role) for role in planned.roles)
        views.append(
            StageView(
                planned.position + 1, planned.name, _minutes(planned.duration_minutes), conducted
            )
        )
    return tuple(views)


def describe(ladder: Ladder, level_id: str, specialty_id: str | None = None) -> RoleDescription:
    """The role description of a level (+ specialty); UnknownIdError for unknown ids."""
    resolved = resolve_level(ladder, level_id, specialty_id)
    level, family = resolved.level, resolved.family
    attribution_line, source_url = attribution(family.source)
    return RoleDescription(
        level_id=level.id,
        specialty_id=resolved.specialty.id if resolved.specialty is not None else None,
        title=level.title,
        specialty_title=resolved.specialty.title if resolved.specialty is not None else None,
        family_id=family.id,
        family_title=family.title,
        grade=level.grade,
        track=level.track.label,
        reports_to=tuple(boss.title for boss in reports_to_levels(ladder, level.id)),
        reports_to_text=level.reports_to.text if level.reports_to is not None else None,
        description=level.description,
        market_justification=level.market_justification,
        defined_elsewhere=level.defined_elsewhere,
        sections=tuple(
            ItemSection(kind, KIND_LABELS[kind], _groups(ladder, level, resolved.of(kind)))
            for kind in KINDS
        ),
        hiring_intro=family.hiring_process.intro if family.hiring_process is not None else (),
        stages=_stages(ladder, family.id),
        attribution=attribution_line,
        source_url=source_url,
        ladder_version=ladder.version,
    )


def render_html(description: RoleDescription, paper: str) -> str:
    """The print HTML of a role description (needs an app context, not a request)."""
    return render_print_html(TEMPLATE, description, paper)


def variants(ladder: Ladder) -> Iterator[tuple[str, str | None]]:
    """Every (level, specialty or None) that has a role description of its own.

    Levels defined on another page are left out, and so are their specialty variants.
    """
    for family in ladder.families:
        for level in family.levels:
            if level.defined_elsewhere:
                continue
            yield level.id, None
            for specialty in family.specialties_for(level.id):
                yield level.id, specialty.id


def file_name(level_id: str, specialty_id: str | None, paper: str) -> str:
    return f"{level_id}-{specialty_id}-{paper}.pdf" if specialty_id else f"{level_id}-{paper}.pdf"


# --- cache ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CacheKey:
    layout: str
    ladder_version: str
    level_id: str
    specialty_id: str
    paper: str

    @property
    def digest(self) -> str:
        parts = ("role-description", self.layout, self.ladder_version, self.level_id)
        joined = "\x1f".join((*parts, self.specialty_id, self.paper))
        return hashlib.sha256(joined.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class PdfResult:
    data: bytes
    key: CacheKey
    cache_hit: bool

    @property
    def etag(self) -> str:
        return self.key.digest


def cache_dir(app: Flask) -> Path:
    configured = app.config.get("PDF_CACHE_DIR")
    return Path(configured) if configured else Path(app.instance_path) / "pdf-cache"


def check_variant(ladder: Ladder, level_id: str, specialty_id: str | None) -> None:
    """UnknownIdError unless the level exists and the specialty (if any) applies to it."""
    get_level(ladder, level_id)
    if specialty_id:
        specialty_for(ladder, level_id, specialty_id)


def cache_key(ladder: Ladder, level_id: str, specialty_id: str | None, paper: str) -> CacheKey:
    """The key of a role description; UnknownIdError / UnknownPaper for bad input."""
    check_variant(ladder, level_id, specialty_id)
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    return CacheKey(
        layout_version(app), ladder.version, level_id, specialty_id or "", check_paper(paper)
    )


def _read(path: Path) -> bytes | None:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    # A file is only ever renamed into place complete; the check guards against a disk that
    # lost data in a crash.
    if not data.startswith(b"%PDF-") or b"%%EOF" not in data[-32:]:
        return None
    return data


def _write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".pdf")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def render_role_description(
    ladder: Ladder, level_id: str, specialty_id: str | None, paper: str
) -> bytes:
    """Render the PDF now, without the cache."""
    html = render_html(describe(ladder, level_id, specialty_id or None), paper)
    return render_pdf(html, base_url=static_base_url())


#: This thread's last result, for :func:`last_was_cache_hit`.
_last = threading.local()


def get_role_description_pdf(
    ladder: Ladder, level_id: str, specialty_id: str | None, paper: str
) -> PdfResult:
    """The PDF from the cache, rendered and stored first when the cache lacks it."""
    key = cache_key(ladder, level_id, specialty_id, paper)
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    path = cache_dir(app) / f"{key.digest}.pdf"
    data = _read(path)
    if data is not None:
        result = PdfResult(data, key, cache_hit=True)
    else:
        data = render_role_description(ladder, level_id, specialty_id, paper)
        _write_atomically(path, data)
        result = PdfResult(data, key, cache_hit=False)
    _last.result = result
    return result


def role_description_pdf(
    ladder: Ladder, level_id: str, specialty_id: str | None, paper: str
) -> bytes:
    """The PDF bytes (cached); :func:`last_was_cache_hit` tells how they were obtained."""
    return get_role_description_pdf(ladder, level_id, specialty_id, paper).data


def last_was_cache_hit() -> bool | None:
    """Whether this thread's last role-description PDF came from the cache (None: no call)."""
    result: PdfResult | None = getattr(_last, "result", None)
    return None if result is None else result.cache_hit


__all__ = [
    "CacheKey",
    "PdfResult",
    "RoleDescription",
    "cache_dir",
    "cache_key",
    "check_variant",
    "describe",
    "file_name",
    "get_role_description_pdf",
    "last_was_cache_hit",
    "render_html",
    "render_role_description",
    "role_description_pdf",
    "variants",
]
