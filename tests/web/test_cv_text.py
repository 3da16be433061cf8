"""A CV's text is read when it is uploaded (PDF, Word, plain text), bounded, and a CV whose
text cannot be read is still accepted, with no text."""

from __future__ import annotations

import io

import pytest
from werkzeug.datastructures import FileStorage

from app.hiring import cv_text as reading
from app.hiring.cv_content import CvKind, sniff_cv
from app.hiring.cv_storage import check_upload
from tests.web.test_files import W_NS, make_docx


def text_pdf(lines: list[str], pages: int = 1) -> bytes:
    """A PDF of ``pages`` pages, each showing ``lines`` in Helvetica."""
    page_ids = [3 + 2 * n for n in range(pages)]
    font_id = 3 + 2 * pages
    stream = (
        b"BT /F1 12 Tf 72 700 Td 14 TL "
        + b" ".join(b"(" + line.encode("latin-1") + b") '" for line in lines)
        + b" ET"
    )
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>"
        % (b" ".join(b"%d 0 R" % i for i in page_ids), pages),
    ]
    for page_id in page_ids:
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents %d 0 R"
            b" /Resources << /Font << /F1 %d 0 R >> >> >>" % (page_id + 1, font_id)
        )
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream))
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def docx_of(paragraphs: list[str]) -> bytes:
    body = "".join(
        f"<w:p><w:r><w:t>{p}</w:t></w:r><w:r><w:tab/><w:t xml:space='preserve'>x</w:t></w:r></w:p>"
        for p in paragraphs
    )
    document = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<w:document xmlns:w="{W_NS}"><w:body>{body}</w:body></w:document>'
    ).encode()
    return make_docx(document=document)


def test_pdf_text_is_read():
    data = text_pdf(["Kubernetes and Salesforce", "Customer Success Manager"])
    assert sniff_cv(data, "cv.pdf") is CvKind.PDF
    text = reading.cv_text(data, CvKind.PDF)
    assert text is not None
    assert "Kubernetes and Salesforce" in text
    assert "Customer Success Manager" in text


def test_pdf_pages_are_bounded(monkeypatch):
    monkeypatch.setattr(reading, "MAX_PDF_PAGES", 2)
    text = reading.cv_text(text_pdf(["Pagemark"], pages=5), CvKind.PDF)
    assert text is not None and text.count("Pagemark") == 2


def test_pdf_page_content_is_read_only_up_to_a_budget(monkeypatch):
    # Each page's content is about 1 KB unpacked: a budget of 2.5 KB reads two pages,
    # and a page whose content would overrun it is never parsed for text.
    data = text_pdf(["Budgetmark " * 80], pages=4)
    monkeypatch.setattr(reading, "MAX_PDF_CONTENT", 2_500)
    text = reading.cv_text(data, CvKind.PDF)
    assert text is not None and text.count("Budgetmark") == 2 * 80
    monkeypatch.setattr(reading, "MAX_PDF_CONTENT", 500)
    assert reading.cv_text(data, CvKind.PDF) is None


def test_docx_text_is_read_paragraph_by_paragraph():
    data = docx_of(["Zoë Núñez", "Led onboarding for 40 accounts"])
    assert sniff_cv(data, "cv.docx") is CvKind.DOCX
    assert reading.cv_text(data, CvKind.DOCX) == "Zoë Núñez x\nLed onboarding for 40 accounts x"


def test_plain_text_is_tidied_and_cut(monkeypatch):
    monkeypatch.setattr(reading, "MAX_TEXT", 10)
    assert (
        reading.cv_text(b"\xef\xbb\xbf  Hello   world \n\n\n\nagain", CvKind.TEXT) == "Hello worl"
    )


def test_long_text_is_cut_at_the_limit():
    data = ("word " * 60_000).encode()
    text = reading.cv_text(data, CvKind.TEXT)
    assert text is not None and len(text) == reading.MAX_TEXT


def test_a_docx_with_entities_gives_no_text_and_is_not_expanded():
    document = (
        f'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]><w:document xmlns:w="{W_NS}">'
        "<w:body><w:p><w:r><w:t>&a;&a;</w:t></w:r></w:p></w:body></w:document>"
    ).encode()
    assert reading.cv_text(make_docx(document=document), CvKind.DOCX) is None


@pytest.mark.parametrize(
    "data,kind",
    [
        (b"%PDF-1.4\n garbage without structure\n%%EOF\n", CvKind.PDF),
        (b"PK\x03\x04 not a zip", CvKind.DOCX),
    ],
)
def test_unreadable_text_is_none_not_an_error(data, kind):
    assert reading.cv_text(data, kind) is None


def test_check_upload_carries_the_text_to_the_stored_cv(app):
    data = docx_of(["Grafana dashboards"])
    with app.test_request_context():
        pending = check_upload(FileStorage(io.BytesIO(data), filename="cv.docx"))
        assert pending is not None
        stored = pending.keep()
        pending.discard(stored.key)
    assert stored.text == "Grafana dashboards x"
