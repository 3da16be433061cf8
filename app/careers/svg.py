"""A job family's ladder drawn as SVG: a pure function of the ladder and the family id.

Grades run up the vertical axis (one band per grade, the highest at the top, levels
without a grade in a band at the bottom). Each ladder of a family (``track_of``: the
levels of one track linked by ``extends``) is a column; individual-contributor columns
come first, then manager columns, then a column of small boxes for levels of other
families that the family's levels refer to. Links are routed orthogonally through the
gutters between columns and the channels between bands, so a line never crosses a box;
edges that lead to the same box share their last segments, drawn once.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Literal
from xml.sax.saxutils import escape, quoteattr

from ladder.model import KINDS, Family, Kind, Ladder, Level, Move, Track
from ladder.resolve import track_of

EdgeKind = Literal["extends", "reports_to"]

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Ubuntu, sans-serif"

AXIS_W = 76
COL_W = 170
EXT_W = 172
GUTTER = 42
BOX_H = 54
EXT_H = 50
SLOT_GAP = 18
BAND_PAD = 9
EMPTY_BAND_H = 26
CHANNEL_H = 28
LEGEND_H = 34
LEGEND_W = 640
HEADER_H = 30
MOVES_LINE_H = 20
MARGIN = 10
ARROW = 7

INK = "#16445f"
ACCENT = "#1f5f8b"
MUTED = "#5b6770"
EXTENDS_COLOUR = "#1f5f8b"
REPORTS_COLOUR = "#8a5a00"
YOU_COLOUR = "#2f8f4e"

TRACK_FILL = {Track.INDIVIDUAL_CONTRIBUTOR: "#f3f8fc", Track.MANAGER: "#f4f9f4"}
OTHER_FILL = "#f7f7f8"


def default_level_href(level_id: str) -> str:
    return f"/careers/levels/{level_id}"


def default_family_href(family_id: str) -> str:
    return f"/careers/{family_id}"


@dataclass(frozen=True, slots=True)
class Column:
    """One ladder of the family (or the column of other families' levels)."""

    index: int
    track: Track | None  # None: levels of other families
    levels: tuple[Level, ...]
    x: int
    width: int


@dataclass(frozen=True, slots=True)
class Band:
    grade: int | None
    y: int
    height: int


@dataclass(frozen=True, slots=True)
class Box:
    level: Level
    column: int
    band: int
    x: int
    y: int
    width: int
    height: int
    external: bool

    @property
    def cx(self) -> int:
        return self.x + self.width // 2

    @property
    def cy(self) -> int:
        return self.y + self.height // 2


@dataclass(frozen=True, slots=True)
class Edge:
    """``extends``: ``source`` is the level built on, ``target`` the level that extends it
    (for the lists in ``lists``); ``reports_to``: ``source`` reports to ``target``."""

    kind: EdgeKind
    source: str
    target: str
    lists: tuple[Kind, ...] = ()


@dataclass(frozen=True, slots=True)
class FamilyLayout:
    family: Family
    columns: tuple[Column, ...]
    bands: tuple[Band, ...]
    boxes: dict[str, Box]
    edges: tuple[Edge, ...]
    moves: tuple[Move, ...]
    width: int
    height: int
    chart_top: int
    chart_bottom: int

    @property
    def ladders(self) -> tuple[Column, ...]:
        """The family's own columns, without the column of other families' levels."""
        return tuple(column for column in self.columns if column.track is not None)

    @property
    def external_levels(self) -> tuple[Level, ...]:
        return tuple(box.level for box in self.boxes.values() if box.external)


# --- layout -------------------------------------------------------------------------------


def _order_key(ladder: Ladder, level: Level) -> tuple[int, int, int, int]:
    family_ids = [family.id for family in ladder.families]
    position = [lv.id for lv in ladder.family(level.family).levels].index(level.id)
    grade = level.grade if level.grade is not None else 0
    return (level.grade is None, grade, family_ids.index(level.family), position)


def _ladders(ladder: Ladder, family: Family) -> list[tuple[Level, ...]]:
    seen: set[str] = set()
    found: list[tuple[Level, ...]] = []
    for level in family.levels:
        if level.id not in seen:
            column = track_of(ladder, level.id)
            seen.update(lv.id for lv in column)
            found.append(column)
    ic = [c for c in found if c[0].track is Track.INDIVIDUAL_CONTRIBUTOR]
    managers = [c for c in found if c[0].track is Track.MANAGER]
    return ic + managers


def _external_levels(ladder: Ladder, family: Family) -> list[Level]:
    """Levels of other families that the family's levels name, or that extend them."""
    own = {level.id for level in family.levels}
    wanted: set[str] = set()
    for level in family.levels:
        for kind in KINDS:
            wanted.update(level.extends.of(kind))
        if level.reports_to is not None:
            wanted.update(level.reports_to.levels)
    for other in ladder.levels_by_id.values():
        if other.family != family.id and any(
            target in own for kind in KINDS for target in other.extends.of(kind)
        ):
            wanted.add(other.id)
    if family.career_ladder is not None:
        wanted.update(move.level for move in family.career_ladder.moves if move.level)
    levels = [ladder.levels_by_id[i] for i in wanted - own if i in ladder.levels_by_id]
    return sorted(levels, key=lambda lv: _order_key(ladder, lv))


def layout_family(ladder: Ladder, family_id: str) -> FamilyLayout:
    """Where every box, band and column of the family's picture goes."""
    family = ladder.family(family_id)
    ladders = _ladders(ladder, family)
    externals = _external_levels(ladder, family)
    column_levels: list[tuple[Track | None, tuple[Level, ...]]] = [
        (levels[0].track, levels) for levels in ladders
    ]
    if externals:
        column_levels.append((None, tuple(externals)))

    columns: list[Column] = []
    x = AXIS_W + GUTTER
    for index, (track, levels) in enumerate(column_levels):
        width = COL_W if track is not None else EXT_W
        columns.append(Column(index, track, levels, x, width))
        x += width + GUTTER
    moves = family.career_ladder.moves if family.career_ladder is not None else ()
    width = max(
        x + MARGIN, LEGEND_W, *(AXIS_W + 30 + 7 * len(move_label(ladder, m)) for m in moves)
    )

    graded = [lv.grade for _t, levels in column_levels for lv in levels if lv.grade is not None]
    grades: list[int | None] = list(range(max(graded), min(graded) - 1, -1)) if graded else []
    if any(lv.grade is None for _t, levels in column_levels for lv in levels):
        grades.append(None)

    # Per band and column, the levels in it, lowest first (the higher in the track, the
    # higher up in the band).
    cells: dict[tuple[int, int], list[Level]] = {}
    for column in columns:
        for level in column.levels:
            cells.setdefault((grades.index(level.grade), column.index), []).append(level)

    chart_top = LEGEND_H + HEADER_H
    y = chart_top + CHANNEL_H
    bands: list[Band] = []
    boxes: dict[str, Box] = {}
    for band_index, grade in enumerate(grades):
        slots = max(
            (len(cells.get((band_index, c.index), [])) for c in columns),
            default=0,
        )
        height = (
            EMPTY_BAND_H if slots == 0 else 2 * BAND_PAD + slots * BOX_H + (slots - 1) * SLOT_GAP
        )
        bands.append(Band(grade, y, height))
        for column in columns:
            for slot, level in enumerate(cells.get((band_index, column.index), [])):
                slot_bottom = y + height - BAND_PAD - slot * (BOX_H + SLOT_GAP)
                external = column.track is None
                box_h = EXT_H if external else BOX_H
                top = slot_bottom - BOX_H + (BOX_H - box_h) // 2
                boxes[level.id] = Box(
                    level, column.index, band_index, column.x, top, column.width, box_h, external
                )
        y += height + CHANNEL_H
    chart_bottom = y

    height = chart_bottom + (MARGIN + MOVES_LINE_H * (len(moves) + 1) if moves else 0) + MARGIN
    return FamilyLayout(
        family=family,
        columns=tuple(columns),
        bands=tuple(bands),
        boxes=boxes,
        edges=tuple(_edges(family, boxes)),
        moves=moves,
        width=width,
        height=height,
        chart_top=chart_top,
        chart_bottom=chart_bottom,
    )


def _edges(family: Family, boxes: dict[str, Box]) -> list[Edge]:
    own = {level.id for level in family.levels}
    edges: list[Edge] = []
    for box in boxes.values():
        level = box.level
        lists: dict[str, list[Kind]] = {}
        for kind in KINDS:
            for target in level.extends.of(kind):
                if target in boxes and (level.id in own or target in own):
                    lists.setdefault(target, []).append(kind)
        edges.extend(Edge("extends", base, level.id, tuple(kinds)) for base, kinds in lists.items())
    for level in family.levels:
        if level.reports_to is not None:
            edges.extend(
                Edge("reports_to", level.id, target)
                for target in level.reports_to.levels
                if target in boxes
            )
    return edges


# --- routing ------------------------------------------------------------------------------

Point = tuple[int, int]


@dataclass(frozen=True, slots=True)
class _Plan:
    edge: Edge
    # ("gutter", index) / ("channel", index) slots the route uses, in order
    slots: tuple[tuple[str, int], ...]
    shape: str  # "straight", "side", "gutter", "channel"


def _between(layout: FamilyLayout, source: Box, target: Box) -> bool:
    """Whether another box of the same column sits between the two boxes."""
    low, high = sorted((source.cy, target.cy))
    return any(
        box.column == source.column and low < box.cy < high
        for box in layout.boxes.values()
        if box is not source and box is not target
    )


def _plan(layout: FamilyLayout, edge: Edge) -> _Plan:
    source = layout.boxes[edge.source]
    target = layout.boxes[edge.target]
    if source.column == target.column:
        if not _between(layout, source, target):
            return _Plan(edge, (), "straight")
        return _Plan(edge, (("gutter", source.column),), "side")
    rightwards = target.column > source.column
    source_gutter = source.column + 1 if rightwards else source.column
    target_gutter = target.column if rightwards else target.column + 1
    if source_gutter == target_gutter:
        return _Plan(edge, (("gutter", source_gutter),), "gutter")
    if source.band > target.band:
        channel = target.band + 1
    elif source.band < target.band:
        channel = target.band
    else:
        channel = target.band + 1
    slots = (("gutter", source_gutter), ("channel", channel), ("gutter", target_gutter))
    return _Plan(edge, slots, "channel")


_Offsets = dict[tuple[str, int, EdgeKind, str], int]


def _lane_offsets(plans: list[_Plan]) -> _Offsets:
    """One lane per (slot, edge kind, target box), spread across the slot's width."""
    lanes: dict[tuple[str, int], list[tuple[EdgeKind, str]]] = {}
    for plan in plans:
        key = (plan.edge.kind, plan.edge.target)
        for slot in plan.slots:
            taken = lanes.setdefault(slot, [])
            if key not in taken:
                taken.append(key)
    offsets: _Offsets = {}
    for (slot_kind, index), keys in lanes.items():
        room = (GUTTER if slot_kind == "gutter" else CHANNEL_H) - 12
        step = min(7 if slot_kind == "gutter" else 5, room // max(len(keys) - 1, 1))
        for position, (kind, target) in enumerate(keys):
            offsets[(slot_kind, index, kind, target)] = round(
                (position - (len(keys) - 1) / 2) * step
            )
    return offsets


def _route(layout: FamilyLayout, plan: _Plan, offsets: _Offsets) -> list[Point]:
    edge = plan.edge
    source = layout.boxes[edge.source]
    target = layout.boxes[edge.target]
    dy = -6 if edge.kind == "extends" else 6

    def lane(slot: tuple[str, int]) -> int:
        slot_kind, index = slot
        offset = offsets[(slot_kind, index, edge.kind, edge.target)]
        if slot_kind == "gutter":
            return _gutter_x(layout, index) + offset
        return _channel_y(layout, index) + offset

    if plan.shape == "straight":
        x = source.cx if edge.kind == "extends" else source.cx + source.width // 2 - 22
        if source.cy > target.cy:
            return [(x, source.y), (x, target.y + target.height)]
        return [(x, source.y + source.height), (x, target.y)]
    if plan.shape == "side":
        gx = lane(plan.slots[0])
        return [
            (source.x, source.cy + dy),
            (gx, source.cy + dy),
            (gx, target.cy + dy),
            (target.x, target.cy + dy),
        ]
    rightwards = target.column > source.column
    exit_x = source.x + source.width if rightwards else source.x
    entry_x = target.x if rightwards else target.x + target.width
    if plan.shape == "gutter":
        gx = lane(plan.slots[0])
        return [
            (exit_x, source.cy + dy),
            (gx, source.cy + dy),
            (gx, target.cy + dy),
            (entry_x, target.cy + dy),
        ]
    gs, channel, gt = (lane(slot) for slot in plan.slots)
    return [
        (exit_x, source.cy + dy),
        (gs, source.cy + dy),
        (gs, channel),
        (gt, channel),
        (gt, target.cy + dy),
        (entry_x, target.cy + dy),
    ]


def _gutter_x(layout: FamilyLayout, index: int) -> int:
    """Centre of the gutter left of column ``index`` (``len(columns)``: right of the last)."""
    if index < len(layout.columns):
        return layout.columns[index].x - GUTTER // 2
    last = layout.columns[-1]
    return last.x + last.width + GUTTER // 2


def _channel_y(layout: FamilyLayout, index: int) -> int:
    """Centre of the channel above band ``index`` (``len(bands)``: below the last)."""
    if index < len(layout.bands):
        return layout.bands[index].y - CHANNEL_H // 2
    last = layout.bands[-1]
    return last.y + last.height + CHANNEL_H // 2


def _merge(segments: Iterable[tuple[Point, Point]]) -> list[tuple[Point, Point]]:
    """Collinear overlapping segments as one, so dashes are never drawn twice."""
    lines: dict[tuple[str, int], list[tuple[int, int]]] = {}
    for (x1, y1), (x2, y2) in segments:
        if (x1, y1) == (x2, y2):
            continue
        if y1 == y2:
            lines.setdefault(("h", y1), []).append((min(x1, x2), max(x1, x2)))
        else:
            lines.setdefault(("v", x1), []).append((min(y1, y2), max(y1, y2)))
    merged: list[tuple[Point, Point]] = []
    for (orientation, fixed), spans in sorted(lines.items()):
        spans.sort()
        current = list(spans[0])
        for start, end in spans[1:]:
            if start <= current[1]:
                current[1] = max(current[1], end)
                continue
            merged.append(_segment(orientation, fixed, current))
            current = [start, end]
        merged.append(_segment(orientation, fixed, current))
    return merged


def _segment(orientation: str, fixed: int, span: list[int]) -> tuple[Point, Point]:
    if orientation == "h":
        return ((span[0], fixed), (span[1], fixed))
    return ((fixed, span[0]), (fixed, span[1]))


def _arrowhead(tail: Point, tip: Point) -> str:
    (x1, y1), (x2, y2) = tail, tip
    dx = (x2 > x1) - (x2 < x1)
    dy = (y2 > y1) - (y2 < y1)
    # Base of the triangle ARROW back from the tip, half as wide on each side.
    bx, by = x2 - dx * ARROW, y2 - dy * ARROW
    half = ARROW // 2 + 1
    px, py = -dy * half, dx * half
    return f"M{x2} {y2}L{bx + px} {by + py}L{bx - px} {by - py}Z"


# --- drawing ------------------------------------------------------------------------------


def _wrap(text: str, width: int, font_size: float, max_lines: int, em: float = 0.6) -> list[str]:
    """Greedy line breaks for ``text`` in a box ``width`` wide (``em``: average glyph width)."""
    limit = max(int((width - 14) / (font_size * em)), 6)
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= limit:
            lines[-1] += " " + word
        else:
            lines.append(word)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        last = lines[-1]
        lines[-1] = (last[: limit - 1].rstrip() if len(last) >= limit else last) + "…"
    return lines


def _attrs(**values: object) -> str:
    parts = []
    for name, value in values.items():
        if value is None:
            continue
        parts.append(f"{name.rstrip('_').replace('_', '-')}={quoteattr(str(value))}")
    return " ".join(parts)


def _text(x: int, y: int, content: str, **attrs: object) -> str:
    return f"<text {_attrs(x=x, y=y, **attrs)}>{escape(content)}</text>"


def grade_label(grade: int | None) -> str:
    return f"Grade {grade}" if grade is not None else "No grade"


def family_svg(
    ladder: Ladder,
    family_id: str,
    *,
    level_href: Callable[[str], str] = default_level_href,
    family_href: Callable[[str], str] = default_family_href,
    highlight: str | None = None,
) -> str:
    """The family's ladder as an SVG document (a string); the same input gives the same
    string. ``highlight`` marks one level (the reader's own) in the picture."""
    layout = layout_family(ladder, family_id)
    family = layout.family
    ident = f"ladder-{family.id}"
    out: list[str] = [
        "<svg "
        + _attrs(
            xmlns="http://www.w3.org/2000/svg",
            viewBox=f"0 0 {layout.width} {layout.height}",
            width=layout.width,
            height=layout.height,
            # A group, not an img: an img's contents are hidden from screen readers,
            # and the picture's levels are links to follow.
            role="group",
            aria_labelledby=f"{ident}-title",
            aria_describedby=f"{ident}-desc",
            class_="ladder-svg",
            font_family=FONT,
        )
        + ">",
        f'<title id="{ident}-title">{escape(f"Career ladder: {family.title}")}</title>',
        f'<desc id="{ident}-desc">{escape(_description(layout))}</desc>',
    ]
    out.extend(_draw_backgrounds(layout))
    out.extend(_draw_legend(layout))
    out.extend(_draw_edges(layout))
    for box in layout.boxes.values():
        out.append(_draw_box(ladder, box, level_href, highlight == box.level.id))
    out.extend(_draw_moves(ladder, layout, level_href, family_href))
    out.append("</svg>")
    return "\n".join(out)


def _description(layout: FamilyLayout) -> str:
    family = layout.family
    parts = []
    for track in (Track.INDIVIDUAL_CONTRIBUTOR, Track.MANAGER):
        columns = [c for c in layout.ladders if c.track is track]
        if columns:
            ladders = "; ".join(
                " then ".join(f"{lv.name} ({grade_label(lv.grade).lower()})" for lv in c.levels)
                for c in columns
            )
            parts.append(f"{track.label} track: {ladders}.")
    external = layout.external_levels
    if external:
        names = ", ".join(f"{lv.name} ({lv.family})" for lv in external)
        parts.append(f"Levels of other families linked to it: {names}.")
    parts.append(
        "Solid arrows point from a level to the level that builds on (extends) it; "
        "dashed arrows point from a level to the level it reports to."
    )
    count = len(family.levels)
    return f"{family.title}: {count} levels. " + " ".join(parts)


def _draw_backgrounds(layout: FamilyLayout) -> list[str]:
    out: list[str] = []
    left = AXIS_W
    right = layout.columns[-1].x + layout.columns[-1].width + 8 if layout.columns else left
    top = layout.chart_top
    bottom = layout.chart_bottom
    for index, band in enumerate(layout.bands):
        fill = "#fafbfc" if index % 2 == 0 else "#ffffff"
        out.append(
            "<rect "
            + _attrs(
                x=left,
                y=band.y - CHANNEL_H // 2,
                width=right - left,
                height=band.height + CHANNEL_H,
                fill=fill,
            )
            + "/>"
        )
        out.append(
            _text(
                AXIS_W - 8,
                band.y + band.height // 2 + 4,
                grade_label(band.grade),
                text_anchor="end",
                font_size=12,
                font_weight=600 if band.height > EMPTY_BAND_H else None,
                fill=INK if band.height > EMPTY_BAND_H else MUTED,
            )
        )
    out.append(
        "<line "
        + _attrs(x1=AXIS_W, y1=top, x2=AXIS_W, y2=bottom, stroke="#c9d2d9", stroke_width=1)
        + "/>"
    )
    # Track backgrounds and headers: consecutive columns of one track form a group.
    groups: list[tuple[Track | None, list[Column]]] = []
    for column in layout.columns:
        if groups and groups[-1][0] is column.track:
            groups[-1][1].append(column)
        else:
            groups.append((column.track, [column]))
    for track, columns in groups:
        x1 = columns[0].x - 8
        x2 = columns[-1].x + columns[-1].width + 8
        fill = TRACK_FILL[track] if track is not None else OTHER_FILL
        out.append(
            "<rect "
            + _attrs(
                x=x1,
                y=top - HEADER_H + 4,
                width=x2 - x1,
                height=bottom - top + HEADER_H - 4,
                rx=8,
                fill=fill,
                fill_opacity="0.75",
                stroke="#dde5ec",
            )
            + "/>"
        )
        label = track.label if track is not None else "Other families"
        out.append(
            _text(
                (x1 + x2) // 2,
                top - 8,
                label,
                text_anchor="middle",
                font_size=13,
                font_weight=700,
                fill=INK,
            )
        )
    return out


def _draw_legend(layout: FamilyLayout) -> list[str]:
    y = 18
    x = AXIS_W
    out = [
        '<g class="ladder-legend">',
        "<line "
        + _attrs(x1=x, y1=y, x2=x + 34, y2=y, stroke=EXTENDS_COLOUR, stroke_width=2)
        + "/>",
        f'<path d="{_arrowhead((x, y), (x + 38, y))}" fill="{EXTENDS_COLOUR}"/>',
        _text(x + 46, y + 4, "builds on (extends)", font_size=12, fill=INK),
    ]
    x += 190
    out += [
        "<line "
        + _attrs(
            x1=x,
            y1=y,
            x2=x + 34,
            y2=y,
            stroke=REPORTS_COLOUR,
            stroke_width=2,
            stroke_dasharray="6 4",
        )
        + "/>",
        f'<path d="{_arrowhead((x, y), (x + 38, y))}" fill="{REPORTS_COLOUR}"/>',
        _text(x + 46, y + 4, "reports to", font_size=12, fill=INK),
    ]
    x += 140
    out += [
        "<rect "
        + _attrs(
            x=x,
            y=y - 8,
            width=30,
            height=16,
            rx=4,
            fill="#ffffff",
            stroke=MUTED,
            stroke_dasharray="4 3",
        )
        + "/>",
        _text(x + 38, y + 4, "level of another family", font_size=12, fill=INK),
        "</g>",
    ]
    return out


def _draw_edges(layout: FamilyLayout) -> list[str]:
    plans = [_plan(layout, edge) for edge in layout.edges]
    offsets = _lane_offsets(plans)
    out: list[str] = []
    for kind, colour, dash in (
        ("extends", EXTENDS_COLOUR, None),
        ("reports_to", REPORTS_COLOUR, "6 4"),
    ):
        segments: list[tuple[Point, Point]] = []
        heads: dict[str, None] = {}
        for plan in plans:
            if plan.edge.kind != kind:
                continue
            points = _route(layout, plan, offsets)
            tip_tail, tip = points[-2], points[-1]
            # Stop the line at the base of the arrowhead.
            dx = (tip[0] > tip_tail[0]) - (tip[0] < tip_tail[0])
            dy = (tip[1] > tip_tail[1]) - (tip[1] < tip_tail[1])
            base = (tip[0] - dx * ARROW, tip[1] - dy * ARROW)
            segments.extend(itertools.pairwise(points[:-1]))
            segments.append((tip_tail, base))
            heads[_arrowhead(tip_tail, tip)] = None
        if not segments:
            continue
        group = _attrs(
            class_=f"ladder-edges ladder-{kind.replace('_', '-')}",
            stroke=colour,
            stroke_width=2 if kind == "extends" else 1.6,
            stroke_dasharray=dash,
            fill="none",
        )
        out.append(f"<g {group}>")
        for (x1, y1), (x2, y2) in _merge(segments):
            out.append(f'<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}"/>')
        out.append("</g>")
        out.append(f'<g fill="{colour}">')
        out.extend(f'<path d="{d}"/>' for d in heads)
        out.append("</g>")
    return out


def _draw_box(ladder: Ladder, box: Box, level_href: Callable[[str], str], highlighted: bool) -> str:
    level = box.level
    tooltip = f"{level.title}, {grade_label(level.grade).lower()}"
    if box.external:
        tooltip += f" ({ladder.family(level.family).title})"
    font_size = 12 if box.external else 13
    lines = _wrap(level.name, box.width, font_size, 2)
    if box.external:
        sub = _wrap(ladder.family(level.family).title, box.width, 10, 1, em=0.52)[0]
    else:
        sub = grade_label(level.grade)
    parts = [
        "<a "
        + _attrs(
            href=level_href(level.id),
            class_="ladder-node" + (" external" if box.external else ""),
            data_level=level.id,
            # Named by the words it shows (as speech input expects); the title, with the
            # full name, is its description.
            aria_label=f"{' '.join(lines)}, {sub}" + (", you" if highlighted else ""),
        )
        + ">",
        f"<title>{escape(tooltip)}</title>",
    ]
    stroke = YOU_COLOUR if highlighted else (MUTED if box.external else ACCENT)
    parts.append(
        "<rect "
        + _attrs(
            x=box.x,
            y=box.y,
            width=box.width,
            height=box.height,
            rx=7,
            fill="#ffffff",
            stroke=stroke,
            stroke_width=3 if highlighted else 1.5,
            stroke_dasharray="5 3" if box.external else None,
        )
        + "/>"
    )
    line_h = font_size + 3
    block = len(lines) * line_h + 13
    y = box.y + (box.height - block) // 2 + font_size
    # A space between the lines, as between words: text read from the picture (by
    # assistive technology, or copied) would otherwise run them together.
    tspans = " ".join(
        f'<tspan x="{box.cx}" y="{y + i * line_h}">{escape(line)}</tspan>'
        for i, line in enumerate(lines)
    )
    parts.append(
        "<text "
        + _attrs(
            text_anchor="middle",
            font_size=font_size,
            font_weight=600,
            fill=INK if not box.external else "#333333",
        )
        + f">{tspans}</text>"
    )
    parts.append(
        _text(
            box.cx,
            y + len(lines) * line_h + 1,
            sub,
            text_anchor="middle",
            font_size=10 if box.external else 11,
            fill=MUTED,
        )
    )
    if highlighted:
        parts.append(
            _text(
                box.x + box.width - 6,
                box.y - 4,
                "you",
                text_anchor="end",
                font_size=11,
                font_weight=700,
                fill=YOU_COLOUR,
            )
        )
    parts.append("</a>")
    return "\n".join(parts)


def move_target(ladder: Ladder, move: Move) -> tuple[str, str | None, str | None]:
    """The words for a move, and the level or family id it leads to, if in the ladder."""
    if move.level and move.level in ladder.levels_by_id:
        return move.text, move.level, None
    if move.family and move.family in ladder.families_by_id:
        return move.text, None, move.family
    return move.text, None, None


def move_label(ladder: Ladder, move: Move) -> str:
    """The move as one line of the picture."""
    text, level_id, family_id = move_target(ladder, move)
    label = f"→ {text}"
    if level_id is not None:
        level = ladder.level(level_id)
        family_title = ladder.family(level.family).title
        if text.casefold() in level.title.casefold():
            return f"{label} ({family_title})"
        return f"{label} ({level.name}, {family_title})"
    if family_id is not None:
        family = ladder.family(family_id)
        if family.title.casefold() != text.casefold():
            return f"{label} ({family.title})"
        return label
    return f"{label} (not in the ladder)"


def _draw_moves(
    ladder: Ladder,
    layout: FamilyLayout,
    level_href: Callable[[str], str],
    family_href: Callable[[str], str],
) -> list[str]:
    if not layout.moves:
        return []
    y = layout.chart_bottom + MARGIN + 14
    out = [
        '<g class="ladder-moves">',
        _text(AXIS_W, y, "Moves to other families", font_size=13, font_weight=700, fill=INK),
    ]
    for move in layout.moves:
        y += MOVES_LINE_H
        _words, level_id, family_id = move_target(ladder, move)
        label = move_label(ladder, move)
        if level_id is not None:
            href: str | None = level_href(level_id)
        elif family_id is not None:
            href = family_href(family_id)
        else:
            href = None
        line = _text(AXIS_W + 12, y, label, font_size=12, fill=ACCENT if href else MUTED)
        if href is not None:
            line = f"<a {_attrs(href=href)}>{line}</a>"
        out.append(line)
    out.append("</g>")
    return out
