"""Promotion packets as PDF: content, escaping, determinism, ETag, paper, page layout."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator

import pytest
from pypdf import PdfReader
from weasyprint import HTML
from weasyprint.formatting_structure.boxes import Box, TextBox

from app.db import db
from app.ladder_access import get_ladder
from app.models import User
from app.pdf import UnknownPaper, make_fetcher, static_base_url
from app.promotions import documents as promotion_documents
from app.promotions.documents import (
    PacketPdf,
    describe_packet,
    format_date,
    get_packet_pdf,
    packet_etag,
    packet_file_name,
    paragraphs,
    render_packet_html,
)
from app.services import promotions
from app.services.promotions import PacketView
from pipelines.promotions import Decision, SectionKind, build_template
from tests.conftest import fill_required

A4 = (595.28, 841.89)
LETTER = (612.0, 792.0)
NAME = "Dana Ødegård-Smith"
EVIDENCE = "Ran the Q3 renewal of the Northwind account, 1.2m ARR, with support and sales."


def words(text: str) -> str:
    return " ".join(text.split())


def pdf_text(data: bytes) -> str:
    """The text of every page, whitespace collapsed."""
    pages = (page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return words(" ".join(pages))


def page_texts(data: bytes) -> list[str]:
    return [words(page.extract_text()) for page in PdfReader(io.BytesIO(data)).pages]


def load(user_id: int, packet_id: int) -> PacketView:
    """The packet as ``user_id`` sees it (inside an app context)."""
    user = db.session.get(User, user_id)
    assert user is not None
    view = promotions.load_packet(user, packet_id)
    assert view is not None
    return view


def rename(user_id: int, name: str) -> None:
    user = db.session.get(User, user_id)
    assert user is not None
    user.display_name = name
    db.session.commit()


def set_evidence(user_id: int, packet_id: int, key: str, text: str) -> None:
    view = load(user_id, packet_id)
    section = next(s for s in view.packet.sections if s.key == key)
    promotions.save_sections(view, db.session.get(User, user_id), {key: (text, section.version)})


@pytest.fixture
def draft(app, users, promotion_objects) -> Iterator[tuple[int, int]]:
    """(manager id, packet id) of the draft csm -> senior-csm packet about ``NAME``, every
    required section filled with ``EVIDENCE``; inside an app context."""
    with app.app_context():
        rename(users["team_member"], NAME)
        packet_id = promotion_objects["draft_packet_id"]
        fill_required(packet_id, users["hiring_manager"], EVIDENCE)
        yield users["hiring_manager"], packet_id


def first_key(view: PacketView, kind: SectionKind) -> str:
    return next(s.key for s in view.packet.sections if s.kind is kind)


# --- content ----------------------------------------------------------------------------


def test_pdf_names_the_person_levels_grades_items_evidence_and_status(draft):
    manager_id, packet_id = draft
    view = load(manager_id, packet_id)
    text = pdf_text(get_packet_pdf(view, "a4").data or b"")
    ladder = get_ladder()
    current, target = ladder.level("csm"), ladder.level("senior-csm")
    assert NAME in text
    assert words(current.title) in text and target.title in text
    assert f"Grade {current.grade}" in text and f"Grade {target.grade}" in text
    new_at_target = build_template(ladder, "csm", "senior-csm").sections
    for section in new_at_target:
        assert words(section.heading) in text, section.heading
    assert EVIDENCE in text
    assert "Promotion packet" in text
    assert "Status Draft" in text
    assert "Kind of move Next level in the track" in text
    assert "Prepared by Hiring_Manager" in text
    assert "From Senior CSM" in text
    assert "13 of 13 required sections have evidence" in text
    assert f"Created {format_date(view.packet.created_at)}" in text
    assert "Submitted Not yet" in text


def test_running_header_footer_and_page_numbers(draft):
    manager_id, packet_id = draft
    pages = page_texts(get_packet_pdf(load(manager_id, packet_id), "a4").data or b"")
    assert len(pages) > 1
    assert pages[0].startswith(f"PROMOTION PACKET {NAME}")  # no running header on page 1
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in page
        assert "HireLadder · Promotion packet · Confidential" in page
        if number > 1:
            assert f"{NAME} Promotion packet HireLadder" in page  # header, then footer
    assert "CC BY-SA 4.0" in pages[-1]
    assert f"version {load(manager_id, packet_id).packet.ladder_version[:12]}" in pages[-1]


def test_empty_sections_say_so_and_the_progress_counts_them(app, users, promotion_objects):
    with app.app_context():
        view = load(users["hiring_manager"], promotion_objects["draft_packet_id"])
        text = pdf_text(get_packet_pdf(view, "a4").data or b"")
    assert "0 of 13 required sections have evidence" in text
    assert "0 of 7 optional sections have evidence" in text
    assert text.count("No evidence given.") == 13
    assert "NO EVIDENCE GIVEN FOR 13 Communication" in text  # the competencies, compactly


def test_decided_packet_shows_the_decision_and_its_comment(app, users, promotion_objects):
    packet_id = promotion_objects["submitted_packet_id"]
    with app.app_context():
        rename(users["admin"], "Avery Approver")
        admin = db.session.get(User, users["admin"])
        comment = "Strong case for Staff.\n\nRevisit the mentoring goals in six months."
        promotions.decide(
            load(admin.id, packet_id), admin, Decision.APPROVE, comment, expected_version=None
        )
        view = load(admin.id, packet_id)
        decided = format_date(view.packet.decided_at)
        text = pdf_text(get_packet_pdf(view, "a4").data or b"")
    assert "Status Approved" in text
    assert f"Approved on {decided} by Avery Approver" in text
    assert "Decided by Avery Approver" in text
    assert "Strong case for Staff. Revisit the mentoring goals in six months." in text
    assert f"Submitted {format_date(view.packet.submitted_at)}" in text


def test_a_level_gone_from_the_ladder_still_renders_by_its_id(draft):
    manager_id, packet_id = draft
    view = load(manager_id, packet_id)
    view.packet.target_level_id = "retired-level"
    try:
        document = describe_packet(view, get_ladder())
        text = pdf_text(get_packet_pdf(view, "a4").data or b"")
    finally:
        db.session.rollback()
    assert document.target.title == "retired-level" and not document.target.on_ladder
    assert "retired-level No longer on the ladder" in text
    assert "No grade given" in text


def test_sections_are_grouped_by_kind_with_the_justification_last(draft):
    manager_id, packet_id = draft
    document = describe_packet(load(manager_id, packet_id), get_ladder())
    assert [group.heading for group in document.groups] == [
        "New responsibilities",
        "New requirements",
        "Competencies",
        "Justification",
    ]
    numbers = [section.number for section in document.sections]
    assert numbers == list(range(1, len(numbers) + 1))
    assert document.groups[-1].sections[0].kind is SectionKind.JUSTIFICATION


# --- user text --------------------------------------------------------------------------


def test_evidence_is_escaped_and_keeps_its_paragraphs_and_lines(draft):
    manager_id, packet_id = draft
    view = load(manager_id, packet_id)
    key = first_key(view, SectionKind.RESPONSIBILITY)
    set_evidence(
        manager_id,
        packet_id,
        key,
        "<script>alert('x')</script> & <b>bold</b>\nsecond line\n\nnew paragraph",
    )
    html = render_packet_html(describe_packet(load(manager_id, packet_id), get_ladder()), "a4")
    assert "<script>" not in html and "<b>bold" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in html
    assert "&lt;/b&gt;<br>second line</p>" in html
    assert "<p>new paragraph</p>" in html


def test_a_name_with_markup_is_escaped(draft, users):
    manager_id, packet_id = draft
    rename(users["team_member"], 'Eve <img src="x">')
    html = render_packet_html(describe_packet(load(manager_id, packet_id), get_ladder()), "a4")
    assert "<img" not in html
    assert "Eve &lt;img src=&#34;x&#34;&gt;" in html


def test_paragraphs_split_on_blank_lines_and_keep_single_line_breaks():
    assert paragraphs("one\ntwo\n\n\nthree\r\n  \r\nfour") == (
        ("one", "two"),
        ("three",),
        ("four",),
    )
    assert paragraphs("  \n\n ") == ()
    assert paragraphs(None) == ()


# --- determinism, ETag, paper, no cache --------------------------------------------------


def test_same_packet_gives_byte_identical_pdfs_and_the_cheap_etag(draft, monkeypatch):
    manager_id, packet_id = draft
    first = get_packet_pdf(load(manager_id, packet_id), "a4")
    second = get_packet_pdf(load(manager_id, packet_id), "a4")
    assert isinstance(first, PacketPdf)
    assert first.data is not None and first.data.startswith(b"%PDF-")
    assert first.data == second.data
    assert first.etag == second.etag
    assert len(first.etag) == 64 and int(first.etag, 16) >= 0

    def no_render(*args, **kwargs):
        raise AssertionError("packet_etag must not render a PDF")

    monkeypatch.setattr(promotion_documents, "render_pdf", no_render)
    assert packet_etag(load(manager_id, packet_id), "a4") == first.etag


def test_other_evidence_gives_another_etag_and_other_bytes(draft):
    manager_id, packet_id = draft
    view = load(manager_id, packet_id)
    before = get_packet_pdf(view, "a4")
    set_evidence(manager_id, packet_id, first_key(view, SectionKind.REQUIREMENT), "Other text.")
    after = get_packet_pdf(load(manager_id, packet_id), "a4")
    assert after.etag != before.etag
    assert after.data != before.data
    assert "Other text." in pdf_text(after.data or b"")


def test_paper_changes_the_etag_and_the_page_size(draft):
    manager_id, packet_id = draft
    view = load(manager_id, packet_id)
    a4, letter = get_packet_pdf(view, "a4"), get_packet_pdf(view, "letter")
    assert a4.etag != letter.etag
    for result, (width, height) in ((a4, A4), (letter, LETTER)):
        for page in PdfReader(io.BytesIO(result.data or b"")).pages:
            assert float(page.mediabox.width) == pytest.approx(width, abs=0.1)
            assert float(page.mediabox.height) == pytest.approx(height, abs=0.1)


def test_unknown_paper_is_refused(draft):
    manager_id, packet_id = draft
    view = load(manager_id, packet_id)
    for call in (get_packet_pdf, packet_etag, packet_file_name):
        with pytest.raises(UnknownPaper):
            call(view, "a3")


def test_file_name_has_the_id_and_target_but_no_personal_name(draft):
    manager_id, packet_id = draft
    view = load(manager_id, packet_id)
    name = packet_file_name(view, "letter")
    assert name == f"promotion-packet-{packet_id}-senior-csm-letter.pdf"
    assert "dana" not in name.lower()


def test_packet_pdfs_are_never_written_to_the_pdf_cache(app, draft, tmp_path, monkeypatch):
    manager_id, packet_id = draft
    folder = tmp_path / "pdf-cache"
    monkeypatch.setitem(app.config, "PDF_CACHE_DIR", folder)
    get_packet_pdf(load(manager_id, packet_id), "a4")
    assert not folder.exists() or not any(folder.iterdir())


# --- layout -----------------------------------------------------------------------------


def _text_boxes(box: Box, clipped: bool = False) -> Iterator[tuple[TextBox, bool]]:
    """Every text box of a laid-out page, and whether an ``overflow: hidden`` box clips it."""
    clipped = clipped or box.style["overflow"] == "hidden"
    if isinstance(box, TextBox):
        yield box, clipped
    for child in getattr(box, "children", ()):
        yield from _text_boxes(child, clipped)


def _classes(box: Box) -> set[str]:
    element = getattr(box, "element", None)
    if element is None or not isinstance(element.tag, str):
        return set()
    return set((element.get("class") or "").split()) | {box.element_tag}


def _fragments(box: Box, wanted: str) -> Iterator[Box]:
    """The boxes (this page's fragments) whose element has the class or tag ``wanted``."""
    if wanted in _classes(box):
        yield box
    for child in getattr(box, "children", ()):
        yield from _fragments(child, wanted)


def _layout(view: PacketView, paper: str):
    html = render_packet_html(describe_packet(view, get_ladder()), paper)
    return HTML(string=html, base_url=static_base_url(), url_fetcher=make_fetcher()).render()


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_a_long_word_wraps_inside_the_page_and_nothing_is_lost(draft, users, paper):
    """Evidence of 3,000 characters without a break opportunity wraps onto many lines, all of
    them inside the page, and every character is in the PDF; a long name wraps too."""
    manager_id, packet_id = draft
    word = "".join(f"{i:04d}w" for i in range(600))
    assert len(word) == 3000
    view = load(manager_id, packet_id)
    set_evidence(manager_id, packet_id, first_key(view, SectionKind.RESPONSIBILITY), word)
    rename(users["team_member"], "Name" + "x" * 110)
    view = load(manager_id, packet_id)
    document = _layout(view, paper)
    assert len(document.pages) > 1
    boxes = 0
    for page in document.pages:
        box = page._page_box
        right = box.margin_width() - box.margin_right
        bottom = box.margin_height()
        for text, clipped in _text_boxes(box):
            if clipped:
                continue
            boxes += 1
            assert text.position_x >= box.margin_left - 0.5, text.text
            assert text.position_x + text.margin_width() <= right + 0.5, text.text[:40]
            assert text.position_y + text.margin_height() <= bottom + 0.5, text.text[:40]
    assert boxes > 100
    data = get_packet_pdf(view, paper).data or b""
    pieces = [
        line
        for page in PdfReader(io.BytesIO(data)).pages
        for line in page.extract_text().splitlines()
        if re.fullmatch(r"[0-9w]*w[0-9w]*", line)
    ]
    assert len(pieces) > 10  # wrapped onto many lines
    assert "".join(pieces) == word


def test_no_heading_ends_a_page_without_its_content(draft):
    """Long evidence makes many page breaks; each section's head and each group heading
    shares its page with what follows it."""
    manager_id, packet_id = draft
    view = load(manager_id, packet_id)
    long_text = "\n\n".join([EVIDENCE * 4] * 5)
    edits = {s.key: (long_text, s.version) for s in view.packet.sections}
    promotions.save_sections(view, db.session.get(User, manager_id), edits)
    document = _layout(load(manager_id, packet_id), "a4")
    assert len(document.pages) > 10
    heads = groups = 0
    for number, page in enumerate(document.pages, start=1):
        for section in _fragments(page._page_box, "pk-section"):
            head = [child for child in section.children if "pk-head" in _classes(child)]
            if head:
                heads += 1
                assert len(section.children) > 1, f"a section head ends page {number}"
        for group in _fragments(page._page_box, "pk-group"):
            h2 = [child for child in group.children if child.element_tag == "h2"]
            if h2:
                groups += 1
                rest = [c for c in group.children if c.element_tag in ("article", "div")]
                assert rest, f"a group heading ends page {number}"
    assert heads == len(view.packet.sections)  # every head was found, once
    assert groups == 4
