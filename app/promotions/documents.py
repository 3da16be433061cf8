"""Promotion packets as printable documents: the case a manager hands to a committee.

:func:`describe_packet` builds the view model from a loaded packet and the ladder (titles,
grades and families; a level no longer on the ladder is shown by its id);
:func:`render_packet_html` fills the print template; :func:`get_packet_pdf` renders the PDF.

Packet PDFs hold personal data, so they are never cached on disk. Their ETag is a hash of
the layout version and the HTML, which :func:`packet_etag` computes without rendering, so
an HTTP client can revalidate cheaply. Every date comes from the packet, never the clock,
so the same packet always gives the same HTML and the same bytes for readers in one time
zone (dates are the days in the reader's zone).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from flask import current_app

from app.ladder_access import get_ladder
from app.models import PromotionPacket, PromotionSection, User
from app.pdf import (
    attribution,
    check_paper,
    layout_version,
    render_pdf,
    render_print_html,
    static_base_url,
)
from app.services.promotions import PacketView
from ladder.model import Ladder, Level
from pipelines.promotions import SECTION_GROUPS, PacketStatus, SectionKind
from pipelines.timezones import DEFAULT_ZONE, to_local

TEMPLATE = "print/promotion_packet.html"
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
#: Group notes: what the committee reads under a group heading.
GROUP_NOTES: dict[SectionKind, str] = {
    SectionKind.RESPONSIBILITY: "Responsibilities of the target level that the current "
    "level does not have.",
    SectionKind.REQUIREMENT: "Requirements of the target level that the current level does "
    "not have.",
    SectionKind.PERFORMANCE_INDICATOR: "Performance indicators of the target level that the "
    "current level does not have.",
    SectionKind.COMPETENCY: "Evidence for the competencies is optional.",
    SectionKind.JUSTIFICATION: "",
}

Paragraph = tuple[str, ...]  # the lines of one paragraph


# --- view model ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LevelFacts:
    """A level as the packet names it: the ladder's words, or the id when it is gone."""

    level_id: str
    title: str
    grade: int | None
    family_title: str | None
    specialty_title: str | None
    on_ladder: bool

    @property
    def grade_label(self) -> str:
        return f"Grade {self.grade}" if self.grade is not None else "No grade given"


@dataclass(frozen=True, slots=True)
class SectionView:
    number: int
    key: str
    kind: SectionKind
    heading: str
    items: tuple[str, ...]
    description: str | None
    origin_label: str | None
    required: bool
    evidence: tuple[Paragraph, ...]

    @property
    def has_evidence(self) -> bool:
        return bool(self.evidence)


@dataclass(frozen=True, slots=True)
class SectionGroup:
    """The sections of one kind, under the group heading the packet form uses."""

    kind: SectionKind
    heading: str
    note: str
    sections: tuple[SectionView, ...]

    @property
    def with_evidence(self) -> tuple[SectionView, ...]:
        return tuple(section for section in self.sections if section.has_evidence)

    @property
    def without_evidence(self) -> tuple[SectionView, ...]:
        return tuple(section for section in self.sections if not section.has_evidence)


@dataclass(frozen=True, slots=True)
class PacketDocument:
    packet_id: int
    subject_name: str
    author_name: str
    current: LevelFacts
    target: LevelFacts
    move_label: str
    status: PacketStatus
    created: str
    submitted: str | None
    decided: str | None
    decided_by: str | None
    decision_comment: tuple[Paragraph, ...]
    groups: tuple[SectionGroup, ...]
    attribution: str
    source_url: str | None
    ladder_version: str

    @property
    def status_label(self) -> str:
        return self.status.label

    @property
    def is_decided(self) -> bool:
        return self.status in (PacketStatus.APPROVED, PacketStatus.DECLINED)

    @property
    def sections(self) -> tuple[SectionView, ...]:
        return tuple(section for group in self.groups for section in group.sections)

    @property
    def required_total(self) -> int:
        return sum(1 for section in self.sections if section.required)

    @property
    def required_done(self) -> int:
        return sum(1 for s in self.sections if s.required and s.has_evidence)

    @property
    def progress(self) -> str:
        """``11 of 12 required sections have evidence``."""
        return _count_line(self.required_done, self.required_total, "required")

    @property
    def optional_progress(self) -> str | None:
        """``2 of 7 optional sections have evidence``; None when no section is optional."""
        optional = [section for section in self.sections if not section.required]
        if not optional:
            return None
        done = sum(1 for section in optional if section.has_evidence)
        return _count_line(done, len(optional), "optional")


def _count_line(done: int, total: int, adjective: str) -> str:
    noun = "section" if total == 1 else "sections"
    verb = "has" if 1 in (done, total) else "have"
    return f"{done} of {total} {adjective} {noun} {verb} evidence"


def format_date(
    value: datetime | None, zone_name: str | None = None, default_zone: str = DEFAULT_ZONE
) -> str | None:
    """``4 March 2026``, the day in the zone called ``zone_name`` (UTC by default), the
    same whatever the locale; None for None."""
    if value is None:
        return None
    aware = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    day = to_local(aware, zone_name, default_zone)
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def paragraphs(text: str | None) -> tuple[Paragraph, ...]:
    """The text as paragraphs (split on blank lines), each a tuple of its lines."""
    blocks = re.split(r"\n[ \t]*\n", (text or "").replace("\r\n", "\n").replace("\r", "\n"))
    out = []
    for block in blocks:
        lines = tuple(line.rstrip() for line in block.strip("\n").split("\n"))
        if any(line.strip() for line in lines):
            out.append(tuple(line for line in lines if line.strip()))
    return tuple(out)


def _specialty_title(ladder: Ladder, level: Level | None, specialty_id: str | None) -> str | None:
    if not specialty_id:
        return None
    family = ladder.families_by_id.get(level.family) if level is not None else None
    specialty = family.specialty(specialty_id) if family is not None else None
    return specialty.title if specialty is not None else specialty_id


def level_facts(ladder: Ladder, level_id: str, specialty_id: str | None) -> LevelFacts:
    """The level's title, grade, family and specialty; the id alone when it is gone."""
    level = ladder.levels_by_id.get(level_id)
    if level is None:
        return LevelFacts(level_id, level_id, None, None, specialty_id, on_ladder=False)
    family = ladder.families_by_id.get(level.family)
    return LevelFacts(
        level_id,
        level.title,
        level.grade,
        family.title if family is not None else level.family,
        _specialty_title(ladder, level, specialty_id),
        on_ladder=True,
    )


def origin_label(ladder: Ladder, packet: PromotionPacket, origin: str | None) -> str | None:
    """Where a section's ladder text comes from, in words (``From Senior CSM``)."""
    if not origin:
        return None
    level = ladder.levels_by_id.get(origin)
    if level is not None:
        return f"From {level.title}"
    for level_id in (packet.target_level_id, packet.source_level_id):
        target = ladder.levels_by_id.get(level_id)
        family = ladder.families_by_id.get(target.family) if target is not None else None
        specialty = family.specialty(origin) if family is not None else None
        if specialty is not None:
            return f"Specialty: {specialty.title}"
    family = ladder.families_by_id.get(origin)
    if family is not None:
        return f"Every level of {family.title}"
    competency_set = ladder.competency_set(origin)
    if competency_set is not None:
        return competency_set.title
    return f"From {origin}"


def _section_view(
    ladder: Ladder, packet: PromotionPacket, section: PromotionSection, number: int
) -> SectionView:
    return SectionView(
        number=number,
        key=section.key,
        kind=section.kind,
        heading=section.heading,
        items=tuple(section.items or ()),
        description=section.description,
        origin_label=origin_label(ladder, packet, section.origin),
        required=section.required,
        evidence=paragraphs(section.evidence),
    )


def _groups(ladder: Ladder, packet: PromotionPacket) -> tuple[SectionGroup, ...]:
    """The sections by kind in the packet form's order (justification last), numbered."""
    ordered = sorted(
        packet.sections,
        key=lambda s: (list(SectionKind).index(s.kind), s.position),
    )
    views = [
        _section_view(ladder, packet, section, number)
        for number, section in enumerate(ordered, start=1)
    ]
    groups = []
    for kind in SectionKind:
        of_kind = tuple(view for view in views if view.kind is kind)
        if of_kind:
            groups.append(SectionGroup(kind, SECTION_GROUPS[kind], GROUP_NOTES[kind], of_kind))
    return tuple(groups)


def _name(user: User | None) -> str | None:
    return user.display_name if user is not None else None


def _attribution(ladder: Ladder, level_ids: Iterable[str]) -> tuple[str, str | None]:
    """The licence line and source URL of the families the packet's ladder text comes from."""
    for level_id in level_ids:
        level = ladder.levels_by_id.get(level_id)
        family = ladder.families_by_id.get(level.family) if level is not None else None
        if family is not None and family.source is not None:
            return attribution(family.source)
    return attribution(None)


def describe_packet(
    view: PacketView, ladder: Ladder, zone_name: str | None = None
) -> PacketDocument:
    """The printable packet; ``view`` must be loaded with its sections and people. Its
    dates are the days in the zone called ``zone_name`` (the reader's; None: the
    installation's default)."""
    packet = view.packet
    default_zone = current_app.config["DEFAULT_TIMEZONE"]

    def day(value: datetime | None) -> str | None:
        return format_date(value, zone_name, default_zone)

    attribution, source_url = _attribution(ladder, (packet.target_level_id, packet.source_level_id))
    return PacketDocument(
        packet_id=packet.id,
        subject_name=packet.subject.display_name,
        author_name=packet.author.display_name,
        current=level_facts(ladder, packet.source_level_id, packet.source_specialty_id),
        target=level_facts(ladder, packet.target_level_id, packet.target_specialty_id),
        move_label=packet.move_kind.label,
        status=packet.status,
        created=day(packet.created_at) or "",
        submitted=day(packet.submitted_at),
        decided=day(packet.decided_at),
        decided_by=_name(packet.decided_by),
        decision_comment=paragraphs(packet.decision_comment),
        groups=_groups(ladder, packet),
        attribution=attribution,
        source_url=source_url,
        ladder_version=packet.ladder_version,
    )


# --- HTML, ETag, PDF ------------------------------------------------------------------


def render_packet_html(document: PacketDocument, paper: str) -> str:
    """The print HTML of a packet (needs an app context, not a request)."""
    return render_print_html(TEMPLATE, document, paper)


def _packet_html(view: PacketView, paper: str, zone_name: str | None) -> str:
    return render_packet_html(describe_packet(view, get_ladder(), zone_name), paper)


def _etag(html: str) -> str:
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    return hashlib.sha256(f"{layout_version(app)}\x1f{html}".encode()).hexdigest()


def packet_etag(view: PacketView, paper: str, zone_name: str | None = None) -> str:
    """The ETag of the packet's PDF without rendering it (hash of layout and HTML)."""
    return _etag(_packet_html(view, paper, zone_name))


@dataclass(frozen=True)
class PacketPdf:
    """A packet's PDF and its ETag."""

    data: bytes
    etag: str


def get_packet_pdf(view: PacketView, paper: str = "a4", zone_name: str | None = None) -> PacketPdf:
    """Render the packet's PDF now (never cached: it holds personal data), its dates in
    the zone called ``zone_name`` (the reader's)."""
    html = _packet_html(view, paper, zone_name)
    return PacketPdf(render_pdf(html, base_url=static_base_url()), _etag(html))


def packet_file_name(view: PacketView, paper: str) -> str:
    """``promotion-packet-12-senior-csm-a4.pdf``: the packet id and target, no names."""
    target = re.sub(r"[^a-z0-9-]+", "-", view.packet.target_level_id.lower()).strip("-")
    return f"promotion-packet-{view.packet.id}-{target or 'level'}-{check_paper(paper)}.pdf"


__all__ = [
    "LevelFacts",
    "PacketDocument",
    "PacketPdf",
    "SectionGroup",
    "SectionView",
    "describe_packet",
    "format_date",
    "get_packet_pdf",
    "level_facts",
    "packet_etag",
    "packet_file_name",
    "paragraphs",
    "render_packet_html",
]
