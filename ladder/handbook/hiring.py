"""The hiring-process section of a page: its stages, written as headings or as the items
of a list, with the paragraphs before and after them."""

from __future__ import annotations

import re

from ladder.handbook.inline import plain
from ladder.handbook.markdown import BulletList, Item, Other, Paragraph, Section
from ladder.handbook.stages import is_stage_heading, is_stage_text, list_stage_name
from ladder.handbook.state import FoundStage, ImportState
from ladder.handbook.titles import title_tokens


class HiringReader(ImportState):
    """Reads the hiring process into stages, intro and outro."""

    def hiring_section(self, sec: Section) -> None:
        """The stages are the headings under "Hiring Process", or the items of a list
        there, one stage per item."""
        self.hiring_line = sec.line
        self.hiring_file = sec.file
        collapsed = _collapsed_lists(sec)
        if collapsed:
            # A list folded in a <details> block (a transcript, notes): no stages.
            for folded in collapsed:
                self.warn(
                    sec.file,
                    folded.line,
                    "list inside a <details> block of the hiring process not kept",
                )
            sec = Section(
                sec.depth,
                sec.title,
                sec.raw_title,
                sec.line,
                sec.file,
                [b for b in sec.blocks if not _is_one_of(b, collapsed)],
                sec.children,
            )
        lists = [b for b in sec.blocks if isinstance(b, BulletList)]
        stage_lists = [b for b in lists if is_stage_list(b)]
        if lists and not stage_lists and not sec.children:
            stage_lists = lists  # a list alone under the heading: its items are the stages
        labels = [_label_before(sec, b) for b in stage_lists]
        if len(stage_lists) > 1 and all(labels):
            # "For Individual Contributors:" ... "For Managers:": alternative processes;
            # the family's is the first, the others are reported.
            for other, label in zip(stage_lists[1:], labels[1:], strict=True):
                self.warn(
                    sec.file,
                    other.line,
                    f"another hiring process ({label!r}) not kept: the first one is the family's",
                )
                self.section_not_placed(sec.file, other.line, label or "", "another process")
            stage_lists = stage_lists[:1]
            sec = Section(
                sec.depth,
                sec.title,
                sec.raw_title,
                sec.line,
                sec.file,
                [b for b in sec.blocks if b is stage_lists[0] or not _is_one_of(b, lists)],
                sec.children,
            )
        outro: list[str] = []
        if stage_lists:
            self.list_stages(sec, stage_lists, outro)
        else:
            for block in sec.blocks:
                if isinstance(block, Paragraph):
                    self.hiring_intro.append(block.text)
                elif isinstance(block, BulletList):
                    self.warn(
                        sec.file, block.line, "list in the hiring process introduction not kept"
                    )
            for child in sec.children:
                if not self.hiring_subsection(child):
                    self.stage(child)
        if self.stages:
            last = self.stages[-1]
            closing: list[str] = []
            while len(last.paragraphs) > 1 and _is_outro(last.paragraphs[-1].text):
                closing.insert(0, last.paragraphs.pop().text)
            outro.extend(closing)
        self.hiring_outro.extend(outro)

    def list_stages(self, sec: Section, stage_lists: list[BulletList], outro: list[str]) -> None:
        """Stages written as list items.  Paragraphs before the first list are the intro,
        those after the last one the outro; a paragraph between two lists leads into the
        stage after it.  A heading in the section that names a stage adds its text to the
        list stage it names ("### Technical Interview" to the item about the technical
        interview), or is a stage of its own; any other heading is not kept."""
        chosen = {id(b) for b in stage_lists}
        indexes = [i for i, b in enumerate(sec.blocks) if id(b) in chosen]
        first, last = indexes[0], indexes[-1]
        pending: list[Paragraph] = []
        from_list: list[FoundStage] = []
        for i, block in enumerate(sec.blocks):
            if isinstance(block, Paragraph):
                if i < first:
                    self.hiring_intro.append(block.text)
                elif i > last:
                    outro.append(block.text)
                else:
                    pending.append(block)
            elif isinstance(block, BulletList):
                if id(block) not in chosen:
                    where = "introduction " if i < first else ""
                    self.warn(
                        sec.file,
                        block.line,
                        f"list in the hiring process {where}names no stage; not kept",
                    )
                    continue
                for item in block.items:
                    if not item.text:
                        continue
                    stage = self.list_stage(item, sec.file)
                    if pending:
                        self.warn(
                            sec.file,
                            pending[0].line,
                            f"paragraph between hiring stages read as part of {stage.name!r}",
                        )
                        stage.paragraphs[:0] = pending
                        pending = []
                    from_list.append(stage)
        merged: set[int] = set()
        for child in sec.children:
            if self.hiring_subsection(child):
                continue
            if not is_stage_heading(child.title):
                self.warn(
                    child.file,
                    child.line,
                    f"heading {child.title!r} in the hiring process is not a stage; not kept",
                )
                continue
            target = self.named_stage(child.title, from_list, merged)
            if target is None:
                self.stage(child)
                continue
            merged.add(id(target))
            self.place_stage_bullets(child)
            extra = self.stage_parts(child)
            target.name = child.title
            target.paragraphs.extend(extra.paragraphs)
            target.bullets.extend(extra.bullets)

    def hiring_subsection(self, sec: Section) -> bool:
        """A heading under the hiring process that is not a stage but something else
        (a specialty with its own lists); ``True`` when it was read as such."""
        return False

    def list_stage(self, item: Item, file: str) -> FoundStage:
        emphasis = _LEAD_EMPHASIS_RE.match(item.raw)
        lead = plain(emphasis.group(2)) if emphasis else None
        name = list_stage_name(item.text, len(self.stages) + 1, lead)
        bullets = [sub.text for child in item.children for sub in child.walk() if sub.text]
        stage = FoundStage(
            name, item.line, file, [Paragraph(item.text, item.raw, item.line)], bullets
        )
        self.stages.append(stage)
        self.place(file, item.line, "hiring_process", None, "", "stage")
        return stage

    def named_stage(
        self, title: str, stages: list[FoundStage], taken: set[int]
    ) -> FoundStage | None:
        """The list stage a heading names: the same words as its name, words that all
        appear in its item, or a name whose words all appear in the heading ("Screening"
        for "Screening Call")."""
        keys = title_tokens(title)
        if not keys:
            return None
        free = [s for s in stages if id(s) not in taken]
        for stage in free:
            if keys == title_tokens(stage.name):
                return stage
        for stage in free:
            if keys <= title_tokens(stage.paragraphs[-1].text):
                return stage
        for stage in free:
            if not stage.name.startswith("Stage ") and title_tokens(stage.name) <= keys:
                return stage
        return None

    def stage(self, sec: Section) -> None:
        self.place_stage_bullets(sec)
        stage = self.stage_parts(sec)
        if not stage.paragraphs and not stage.bullets:
            self.warn(sec.file, sec.line, f"hiring stage {sec.title!r} has no text")
        self.stages.append(stage)

    @staticmethod
    def stage_parts(sec: Section) -> FoundStage:
        """A stage heading: its paragraphs and its bullets (the format)."""
        paragraphs: list[Paragraph] = []
        bullets: list[str] = []
        for part in sec.walk():
            for block in part.blocks:
                if isinstance(block, Paragraph):
                    paragraphs.append(block)
                elif isinstance(block, BulletList):
                    for item in block.walk():
                        bullets.append(item.text)
        return FoundStage(sec.title, sec.line, sec.file, paragraphs, bullets)

    def place_stage_bullets(self, sec: Section) -> None:
        """The bullets of a stage heading are its format."""
        for part in sec.walk():
            for block in part.blocks:
                if isinstance(block, BulletList):
                    for item in block.items:
                        self.place(part.file, item.line, "hiring_process", None, "", "stage_format")


_OUTRO_RE = re.compile(
    r"^(?:additional|more|further)\s+(?:details|information)\b|\bhiring\s+page\b"
    r"|\b(?:about|on)\s+our\s+(?:hiring\s+|interview(?:ing)?\s+)?process\b",
    re.IGNORECASE,
)


def _is_outro(text: str) -> bool:
    return bool(_OUTRO_RE.search(text))


def _collapsed_lists(sec: Section) -> list[BulletList]:
    """The lists between a "<details>" line and its "</details>"."""
    found: list[BulletList] = []
    depth = 0
    for block in sec.blocks:
        if isinstance(block, Other) and block.kind == "html":
            depth += block.text.count("<details") - block.text.count("</details")
            depth = max(depth, 0)
        elif isinstance(block, BulletList) and depth:
            found.append(block)
    return found


def _is_one_of(block: object, blocks: list[BulletList]) -> bool:
    return any(block is b for b in blocks)


def _label_before(sec: Section, block: BulletList) -> str | None:
    """The label right above a list ("For Managers:")."""
    index = next(i for i, b in enumerate(sec.blocks) if b is block)
    before = sec.blocks[index - 1] if index else None
    if isinstance(before, Paragraph) and before.text.endswith(":") and len(before.text) < 80:
        return before.text.rstrip(":").strip()
    return None


def is_stage_list(block: BulletList) -> bool:
    """A list whose items are, for at least half of them, steps of a hiring process."""
    found = sum(1 for item in block.items if is_stage_text(item.text))
    return found > 0 and 2 * found >= len(block.items)


# Patterns used inline above, compiled once when the module loads.
_LEAD_EMPHASIS_RE = re.compile(r"^\s*(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
