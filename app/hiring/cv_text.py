"""The text of an accepted CV, for search: PDF (pypdf), Word (.docx) and plain text.

Only files :func:`~app.hiring.cv_content.sniff_cv` accepted come here, so a .docx has been
inspected against zip bombs already; its main part is read again with the same bounded
streaming decompressor and an XML parser that refuses document type declarations (no
entity expansion). A PDF is read page by page, at most :data:`MAX_PDF_PAGES` pages and
for at most :data:`PDF_SECONDS` seconds. The text is cut at :data:`MAX_TEXT` characters.

Reading never refuses a CV: a file whose text cannot be read gives None.
"""

from __future__ import annotations

import logging
import time
import zipfile
from io import BytesIO
from xml.parsers import expat

from app.hiring.cv_content import DOCX_MAIN_PART, CvKind, _locate_members, _stream_member

log = logging.getLogger(__name__)

#: What is kept of a CV's text (the column's limit, ``candidates.cv_text``).
MAX_TEXT = 200_000
#: Pages of a PDF read for text; a CV has a few.
MAX_PDF_PAGES = 50
#: Time spent reading a PDF's pages (checked between pages).
#: The most unpacked page content read for text, all pages together (a CV has tens of KB).
MAX_PDF_CONTENT = 1_000_000
PDF_SECONDS = 5.0

_W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


class _Full(Exception):
    """Enough text was read."""


def cv_text(data: bytes, kind: CvKind) -> str | None:
    """The CV's text, whitespace tidied and cut at :data:`MAX_TEXT`; None when there is
    none or it cannot be read."""
    try:
        if kind is CvKind.PDF:
            raw = _pdf_text(data)
        elif kind is CvKind.DOCX:
            raw = _docx_text(data)
        else:
            raw = data.decode("utf-8-sig", "replace")
    except Exception:
        log.info("No text could be read from a %s CV", kind.value, exc_info=True)
        return None
    return tidy(raw)


def tidy(raw: str) -> str | None:
    """Lines without surrounding blanks, runs of blank lines as one, NULs dropped, cut."""
    lines = [" ".join(line.replace("\x00", " ").split()) for line in raw.splitlines()]
    kept: list[str] = []
    for line in lines:
        if line or (kept and kept[-1]):
            kept.append(line)
    text = "\n".join(kept).strip()[:MAX_TEXT]
    return text or None


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(BytesIO(data), strict=False)
    deadline = time.monotonic() + PDF_SECONDS
    parts: list[str] = []
    size = 0
    # Unpacking a page's content is cheap, reading text out of it is not (a small file can
    # unpack to megabytes of drawing operators): the pages' content is read only up to a
    # budget, checked before each page's text is extracted.
    content_left = MAX_PDF_CONTENT
    for number, page in enumerate(reader.pages):
        if number >= MAX_PDF_PAGES or size > MAX_TEXT or time.monotonic() > deadline:
            break
        contents = page.get_contents()
        content_left -= len(contents.get_data()) if contents is not None else 0
        if content_left < 0:
            break
        text = page.extract_text() or ""
        parts.append(text)
        size += len(text)
    return "\n".join(parts)


def _docx_text(data: bytes) -> str:
    with zipfile.ZipFile(BytesIO(data)) as archive:
        infos = archive.infolist()
    member = next(m for m in _locate_members(data, infos) if m.info.filename == DOCX_MAIN_PART)
    parts: list[str] = []
    size = 0
    in_text = False

    def start(name: str, _attributes: dict[str, str]) -> None:
        nonlocal in_text
        if name == f"{_W_NS} t":
            in_text = True
        elif name in (f"{_W_NS} tab",):
            parts.append("\t")
        elif name in (f"{_W_NS} br", f"{_W_NS} cr"):
            parts.append("\n")

    def end(name: str) -> None:
        nonlocal in_text
        if name == f"{_W_NS} t":
            in_text = False
        elif name == f"{_W_NS} p":
            parts.append("\n")

    def characters(content: str) -> None:
        nonlocal size
        if in_text:
            parts.append(content)
            size += len(content)
            if size > MAX_TEXT:
                raise _Full

    def refuse(*_args: object) -> None:
        raise ValueError("A document type declaration in a Word document.")

    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = characters
    try:
        for chunk in _stream_member(data, member):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except _Full:
        pass
    return "".join(parts)


__all__ = ["MAX_PDF_PAGES", "MAX_TEXT", "PDF_SECONDS", "cv_text", "tidy"]
