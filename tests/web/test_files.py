"""CV files: content sniffing, zip-bomb defences, storage and download names."""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import random
import re
import stat
import struct
import warnings
import zipfile
import zlib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.hiring.cv_content import ACCEPTED, MB, CvKind, CvRejected, RejectReason, sniff_cv
from app.hiring.cv_storage import (
    CvStore,
    InvalidCvKey,
    StoredFile,
    clean_original_filename,
    download_name,
    kind_of_key,
)

# --- sample files ----------------------------------------------------------------------

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
DOCM_MAIN = "application/vnd.ms-word.document.macroEnabled.main+xml"
DOTX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"
XLSX_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"

DOCUMENT_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<w:document xmlns:w="{W_NS}"><w:body><w:p><w:r>'
    "<w:t>Zoë O\u2019Brien \u2014 Customer Success Manager</w:t>"
    "</w:r></w:p></w:body></w:document>"
).encode()

ROOT_RELS = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
)


def content_types_xml(
    main: str | None = DOCX_MAIN,
    part: str = "/word/document.xml",
    defaults: Iterable[tuple[str, str]] = (),
) -> bytes:
    entries = [
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>',
        '<Default Extension="xml" ContentType="application/xml"/>',
        *(f'<Default Extension="{ext}" ContentType="{ct}"/>' for ext, ct in defaults),
    ]
    if main is not None:
        entries.append(f'<Override PartName="{part}" ContentType="{main}"/>')
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<Types xmlns="{CT_NS}">{"".join(entries)}</Types>'
    ).encode()


def build_zip(
    members: Iterable[tuple[str, bytes]], compression: int = zipfile.ZIP_DEFLATED
) -> bytes:
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # duplicate names, on purpose
        with zipfile.ZipFile(buffer, "w", compression, compresslevel=9) as archive:
            for name, data in members:
                archive.writestr(name, data)
    return buffer.getvalue()


def make_docx(
    *,
    main: str | None = DOCX_MAIN,
    types: bytes | None = None,
    document: bytes = DOCUMENT_XML,
    extra: Iterable[tuple[str, bytes]] = (),
    compression: int = zipfile.ZIP_DEFLATED,
) -> bytes:
    members = [
        ("[Content_Types].xml", types if types is not None else content_types_xml(main)),
        ("_rels/.rels", ROOT_RELS),
        ("word/document.xml", document),
        *extra,
    ]
    return build_zip(members, compression)


def make_pdf() -> bytes:
    """A one-page PDF with a correct cross-reference table."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length 44 >>\nstream\nBT /F1 24 Tf 72 700 Td (Curriculum) Tj ET\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
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


def central_entry(data: bytes, name: str) -> int:
    """Offset of ``name``'s central-directory record."""
    position = data.find(b"PK\x01\x02")
    while position != -1:
        name_len = struct.unpack_from("<H", data, position + 28)[0]
        if data[position + 46 : position + 46 + name_len] == name.encode():
            return position
        position = data.find(b"PK\x01\x02", position + 4)
    raise AssertionError(f"{name} not in the central directory")


def patch(data: bytes, offset: int, fmt: str, value: int) -> bytes:
    out = bytearray(data)
    struct.pack_into(fmt, out, offset, value)
    return bytes(out)


def rejected(data: bytes, filename: str = "cv.docx", **limits: int) -> CvRejected:
    with pytest.raises(CvRejected) as info:
        sniff_cv(data, filename, **limits)
    return info.value


PDF = make_pdf()
DOCX = make_docx()
ZEROS_20MB_MEMBER = ("word/media/image1.png", bytes(20 * MB))


def test_sample_pdf_is_a_real_pdf() -> None:
    pypdf = pytest.importorskip("pypdf")
    reader = pypdf.PdfReader(io.BytesIO(PDF))
    assert len(reader.pages) == 1
    assert "Curriculum" in reader.pages[0].extract_text()


def test_sample_docx_is_a_real_zip() -> None:
    with zipfile.ZipFile(io.BytesIO(DOCX)) as archive:
        assert archive.testzip() is None
        assert set(archive.namelist()) >= {"[Content_Types].xml", "word/document.xml"}


# --- PDF -------------------------------------------------------------------------------


@pytest.mark.parametrize("filename", ["cv.pdf", "cv.txt", "cv", "CV.PDF.exe"])
def test_a_pdf_is_a_pdf_whatever_its_name(filename: str) -> None:
    assert sniff_cv(PDF, filename) is CvKind.PDF


@pytest.mark.parametrize(
    "data",
    [
        b"\xef\xbb\xbf" + PDF,
        b"\r\n  " + PDF,
        PDF + b"\x00" * 500,
        PDF + b"\n" * 200,
        PDF.replace(b"%PDF-1.4", b"%PDF-2.0"),
    ],
    ids=["bom", "leading-whitespace", "nul-padding", "newline-padding", "pdf-2.0"],
)
def test_pdf_tolerances(data: bytes) -> None:
    assert sniff_cv(data, "cv.pdf") is CvKind.PDF


def test_pdf_without_end_marker_is_damaged() -> None:
    error = rejected(PDF.replace(b"%%EOF", b""), "cv.pdf")
    assert error.reason is RejectReason.PDF_DAMAGED
    assert "incomplete or damaged" in str(error)


def test_pdf_end_marker_must_be_near_the_end() -> None:
    truncated_then_padded = PDF + b"x" * 2000
    assert rejected(truncated_then_padded, "cv.pdf").reason is RejectReason.PDF_DAMAGED


def test_pdf_header_after_binary_junk_is_not_a_pdf() -> None:
    error = rejected(b"\x89PNG\r\n\x1a\n" + PDF, "cv.pdf")
    assert error.reason is RejectReason.UNSUPPORTED
    assert "PNG image" in str(error)


def test_pdf_header_needs_a_version() -> None:
    error = rejected(b"%PDF-\x00\x01binary %%EOF", "cv.pdf")
    assert error.reason is RejectReason.UNSUPPORTED


# --- DOCX ------------------------------------------------------------------------------


@pytest.mark.parametrize("filename", ["cv.docx", "cv.pdf", "cv.zip", ""])
def test_a_docx_is_a_docx_whatever_its_name(filename: str) -> None:
    assert sniff_cv(DOCX, filename) is CvKind.DOCX


def test_docx_with_stored_members() -> None:
    assert sniff_cv(make_docx(compression=zipfile.ZIP_STORED), "cv.docx") is CvKind.DOCX


def test_docx_with_data_descriptors_from_a_streaming_writer() -> None:
    class Unseekable(io.RawIOBase):
        def __init__(self) -> None:
            self.buffer = bytearray()

        def writable(self) -> bool:
            return True

        def write(self, data: bytes) -> int:  # type: ignore[override]
            self.buffer += data
            return len(data)

    sink = Unseekable()
    with zipfile.ZipFile(sink, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", content_types_xml())
        archive.writestr("word/document.xml", DOCUMENT_XML)
    data = bytes(sink.buffer)
    assert struct.unpack_from("<H", data, 6)[0] & 0x08, "expected a data descriptor"
    assert sniff_cv(data, "cv.docx") is CvKind.DOCX


def test_docx_main_type_from_the_xml_default() -> None:
    types = content_types_xml(main=None, defaults=())
    types = types.replace(b'ContentType="application/xml"', f'ContentType="{DOCX_MAIN}"'.encode())
    assert sniff_cv(make_docx(types=types), "cv.docx") is CvKind.DOCX


def test_docx_with_a_large_incompressible_photo_is_fine() -> None:
    photo = random.Random(1).randbytes(3 * MB)
    assert sniff_cv(make_docx(extra=[("word/media/image1.jpeg", photo)])) is CvKind.DOCX


def test_docx_main_part_in_utf16() -> None:
    document = '<?xml version="1.0" encoding="UTF-16"?>' + DOCUMENT_XML.decode().split("\n", 1)[1]
    data = make_docx(document=document.encode("utf-16"))
    assert sniff_cv(data, "cv.docx") is CvKind.DOCX


@pytest.mark.parametrize(
    ("members", "looks_like"),
    [
        (
            [
                ("[Content_Types].xml", content_types_xml(XLSX_MAIN, "/xl/workbook.xml")),
                ("xl/workbook.xml", b"<workbook/>"),
            ],
            "an Excel spreadsheet",
        ),
        (
            [
                ("[Content_Types].xml", content_types_xml(None)),
                ("ppt/presentation.xml", b"<presentation/>"),
            ],
            "a PowerPoint presentation",
        ),
        ([("cv.pdf", PDF), ("photo.jpg", b"\xff\xd8\xff")], "a ZIP archive"),
        ([("word/document.xml", DOCUMENT_XML)], "a ZIP archive"),
    ],
    ids=["xlsx", "pptx", "zip", "no-content-types"],
)
def test_other_zips_are_refused_by_what_they_are(
    members: list[tuple[str, bytes]], looks_like: str
) -> None:
    error = rejected(build_zip(members), "cv.docx")
    assert error.reason is RejectReason.UNSUPPORTED
    assert str(error) == (
        f"{ACCEPTED}; this file looks like {looks_like}, although its name ends in .docx."
    )


def test_odt_is_named() -> None:
    odt = build_zip(
        [
            ("mimetype", b"application/vnd.oasis.opendocument.text"),
            ("content.xml", b"<office:document-content/>"),
        ],
        zipfile.ZIP_STORED,
    )
    assert "an OpenDocument text (.odt) file" in str(rejected(odt))


def test_docm_is_refused_by_its_content_type() -> None:
    error = rejected(make_docx(main=DOCM_MAIN), "cv.docx")
    assert error.reason is RejectReason.DOCX_MACROS
    assert "macro" in str(error)


def test_docx_with_a_vba_project_is_refused() -> None:
    data = make_docx(extra=[("word/vbaProject.bin", b"\xd0\xcf\x11\xe0 macro")])
    assert rejected(data).reason is RejectReason.DOCX_MACROS


def test_docx_declaring_a_vba_project_content_type_is_refused() -> None:
    types = content_types_xml(defaults=[("bin", "application/vnd.ms-office.vbaProject")])
    assert rejected(make_docx(types=types)).reason is RejectReason.DOCX_MACROS


def test_word_template_is_refused() -> None:
    error = rejected(make_docx(main=DOTX_MAIN))
    assert error.reason is RejectReason.UNSUPPORTED
    assert "Word template" in str(error)


def test_docx_whose_main_part_is_not_word() -> None:
    error = rejected(make_docx(main=XLSX_MAIN))
    assert error.reason is RejectReason.UNSUPPORTED


def test_zip_bomb_is_refused_by_its_compression_ratio() -> None:
    bomb = make_docx(extra=[ZEROS_20MB_MEMBER])
    assert len(bomb) < 100_000
    error = rejected(bomb)
    assert error.reason is RejectReason.DOCX_RATIO
    assert "100 to 1" in str(error)


def test_ratio_is_only_checked_above_the_threshold() -> None:
    at_threshold = make_docx(extra=[("word/media/a.bin", bytes(1 * MB))])
    assert sniff_cv(at_threshold) is CvKind.DOCX
    above = make_docx(extra=[("word/media/a.bin", bytes(1 * MB + 1))])
    assert rejected(above).reason is RejectReason.DOCX_RATIO


def test_ratio_limit_is_an_argument() -> None:
    data = make_docx(extra=[ZEROS_20MB_MEMBER])
    assert sniff_cv(data, max_ratio=10_000, max_uncompressed=30 * MB) is CvKind.DOCX


def test_total_uncompressed_size_is_limited() -> None:
    rng = random.Random(2)
    extra = [(f"word/media/image{n}.jpeg", rng.randbytes(700_000)) for n in range(3)]
    data = make_docx(extra=extra)
    error = rejected(data, max_uncompressed=2 * MB)
    assert error.reason is RejectReason.DOCX_TOO_LARGE
    assert "2 MB" in str(error)
    assert sniff_cv(data, max_uncompressed=3 * MB) is CvKind.DOCX


def test_default_total_limit_is_50_mb() -> None:
    parts = [(f"word/media/{n}.bin", bytes(900_000)) for n in range(60)]
    error = rejected(make_docx(extra=parts))
    assert error.reason is RejectReason.DOCX_TOO_LARGE
    assert "50 MB" in str(error)


def test_declared_sizes_are_not_trusted() -> None:
    bomb = make_docx(extra=[ZEROS_20MB_MEMBER])
    entry = central_entry(bomb, ZEROS_20MB_MEMBER[0])
    lying = patch(bomb, entry + 24, "<I", 1000)
    with zipfile.ZipFile(io.BytesIO(lying)) as archive:
        assert archive.getinfo(ZEROS_20MB_MEMBER[0]).file_size == 1000
    assert rejected(lying).reason is RejectReason.DOCX_DAMAGED


def test_decompression_stops_soon_after_the_declared_size(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    bomb = make_docx(extra=[ZEROS_20MB_MEMBER])
    lying = patch(bomb, central_entry(bomb, ZEROS_20MB_MEMBER[0]) + 24, "<I", 1000)
    produced = 0
    real_decompressobj = zlib.decompressobj

    class Counting:
        def __init__(self, wbits: int) -> None:
            self.inner = real_decompressobj(wbits)

        def decompress(self, data: bytes, max_length: int = 0) -> bytes:
            nonlocal produced
            out = self.inner.decompress(data, max_length)
            produced += len(out)
            return out

        def __getattr__(self, name: str) -> Any:
            return getattr(self.inner, name)

    monkeypatch.setattr(zlib, "decompressobj", Counting)
    assert rejected(lying).reason is RejectReason.DOCX_DAMAGED
    assert produced < 1 * MB


def test_local_header_name_must_match_the_central_directory() -> None:
    local = DOCX.index(b"word/document.xml")
    assert DOCX[local - 30 : local - 26] == b"PK\x03\x04"
    renamed = DOCX[:local] + b"word/documenX.xml" + DOCX[local + len("word/document.xml") :]
    assert rejected(renamed).reason is RejectReason.DOCX_DAMAGED


def test_crc_mismatch_is_damaged() -> None:
    entry = central_entry(DOCX, "word/document.xml")
    crc = struct.unpack_from("<I", DOCX, entry + 16)[0]
    assert rejected(patch(DOCX, entry + 16, "<I", crc ^ 1)).reason is RejectReason.DOCX_DAMAGED


def test_declared_size_larger_than_the_content_is_damaged() -> None:
    entry = central_entry(DOCX, "word/document.xml")
    inflated = patch(DOCX, entry + 24, "<I", len(DOCUMENT_XML) + 10)
    assert rejected(inflated).reason is RejectReason.DOCX_DAMAGED


def test_member_count_is_limited() -> None:
    many = make_docx(extra=[(f"word/media/{n}.png", b"x") for n in range(30)])
    error = rejected(many, max_members=20)
    assert error.reason is RejectReason.DOCX_TOO_MANY_PARTS
    assert sniff_cv(many, max_members=40) is CvKind.DOCX


@pytest.mark.parametrize(
    "name",
    [
        "../evil",
        "word/../../evil",
        "/etc/passwd",
        "C:/Windows/evil.dll",
        "word\\..\\evil",
        "word/./document.xml",
        "word//evil",
        "word/evil\x01.xml",
        "word/\nevil",
    ],
)
def test_unsafe_member_names_are_refused(name: str) -> None:
    error = rejected(make_docx(extra=[(name, b"payload")]))
    assert error.reason is RejectReason.DOCX_UNSAFE_NAME
    assert "unsafe name" in str(error)


def test_unsafe_names_are_refused_even_in_other_zips() -> None:
    assert rejected(build_zip([("../evil", b"x")])).reason is RejectReason.DOCX_UNSAFE_NAME


@pytest.mark.parametrize("second", ["word/document.xml", "WORD/Document.xml"])
def test_duplicate_member_names_are_refused(second: str) -> None:
    data = make_docx(extra=[(second, b"<w:document/>")])
    assert rejected(data).reason is RejectReason.DOCX_UNSAFE_NAME


@pytest.mark.parametrize("compression", [zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED])
def test_nested_zip_is_refused(compression: int) -> None:
    inner = build_zip([("xl/workbook.xml", b"<workbook/>")])
    data = make_docx(extra=[("word/embeddings/Sheet1.xlsx", inner)], compression=compression)
    error = rejected(data)
    assert error.reason is RejectReason.DOCX_NESTED_ARCHIVE
    assert "Sheet1.xlsx" in str(error)


def test_encrypted_member_is_refused() -> None:
    entry = central_entry(DOCX, "word/document.xml")
    flags = struct.unpack_from("<H", DOCX, entry + 8)[0]
    encrypted = patch(DOCX, entry + 8, "<H", flags | 0x1)
    assert rejected(encrypted).reason is RejectReason.DOCX_ENCRYPTED


def test_unusual_compression_method_is_refused() -> None:
    data = make_docx(compression=zipfile.ZIP_BZIP2)
    assert rejected(data).reason is RejectReason.DOCX_DAMAGED


def test_overlapping_members_are_refused() -> None:
    entry = central_entry(DOCX, "word/document.xml")
    overlapping = patch(DOCX, entry + 42, "<I", 0)
    assert rejected(overlapping).reason is RejectReason.DOCX_DAMAGED


def test_member_hidden_inside_another_is_refused() -> None:
    hidden_name = "word/media/b.bin"
    hidden = build_zip([(hidden_name, b"B" * 100)], zipfile.ZIP_STORED)
    hidden_record = hidden[: 30 + len(hidden_name) + 100]
    data = make_docx(
        extra=[("word/media/a.bin", b"xxxx" + hidden_record), (hidden_name, b"B" * 100)],
        compression=zipfile.ZIP_STORED,
    )
    outer_name = b"word/media/a.bin"
    outer_header = data.index(outer_name) - 30
    embedded = outer_header + 30 + len(outer_name) + 4
    assert data[embedded : embedded + 4] == b"PK\x03\x04"
    overlapping = patch(data, central_entry(data, hidden_name) + 42, "<I", embedded)
    with zipfile.ZipFile(io.BytesIO(overlapping)) as archive:
        assert archive.read(hidden_name) == b"B" * 100
    assert rejected(overlapping).reason is RejectReason.DOCX_DAMAGED


@pytest.mark.parametrize("cut", [0.25, 0.5, 0.9])
def test_truncated_docx_is_damaged(cut: float) -> None:
    error = rejected(DOCX[: int(len(DOCX) * cut)])
    assert error.reason is RejectReason.DOCX_DAMAGED
    assert "damaged" in str(error)


def test_corrupted_member_data_is_damaged() -> None:
    data = bytearray(DOCX)
    start = DOCX.index(b"word/document.xml") + len("word/document.xml") + 5
    data[start] ^= 0xFF
    assert rejected(bytes(data)).reason is RejectReason.DOCX_DAMAGED


@pytest.mark.parametrize(
    "document",
    [
        b"not xml at all",
        b"<w:document><unclosed></w:document>",
        b'<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"/>',
        (
            '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa">'
            '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
            f'<w:document xmlns:w="{W_NS}">&b;</w:document>'
        ).encode(),
        b'<?xml version="1.0" encoding="UTFA8"?><w:document/>',
    ],
    ids=["text", "malformed", "wrong-root", "entities", "unknown-encoding"],
)
def test_main_part_must_be_a_word_document(document: bytes) -> None:
    assert rejected(make_docx(document=document)).reason is RejectReason.DOCX_DAMAGED


def test_content_types_with_a_doctype_is_refused() -> None:
    body = content_types_xml().split(b"\n", 1)[1]
    types = b'<?xml version="1.0"?>\n<!DOCTYPE Types [<!ENTITY x "y">]>\n' + body
    assert rejected(make_docx(types=types)).reason is RejectReason.DOCX_DAMAGED


def test_oversized_content_types_part_is_refused() -> None:
    noise = random.Random(3).randbytes(MB).hex().encode()
    padded = content_types_xml().replace(b"<Types", b"<!--" + noise + b"--><Types")
    assert rejected(make_docx(types=padded)).reason is RejectReason.DOCX_DAMAGED


def test_many_central_records_are_counted_before_parsing() -> None:
    fake = b"PK\x03\x04" + b"PK\x01\x02" * 5000
    assert rejected(fake).reason is RejectReason.DOCX_TOO_MANY_PARTS


# --- other formats ---------------------------------------------------------------------

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(20)
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(20)
WINDOWS_EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + bytes(40)


@pytest.mark.parametrize(
    ("data", "looks_like"),
    [
        (PNG, "a PNG image"),
        (JPEG, "a JPEG image"),
        (b"GIF89a\x01\x00\x01\x00" + bytes(10), "a GIF image"),
        (b"GIF87a\x01\x00\x01\x00" + bytes(10), "a GIF image"),
        (b"RIFF\x24\x00\x00\x00WEBPVP8 " + bytes(10), "a WebP image"),
        (b"\x00\x00\x00\x18ftypheic" + bytes(10), "a photo (HEIC or AVIF image)"),
        (WINDOWS_EXE, "a Windows program (executable file)"),
        (b"\x7fELF\x02\x01\x01" + bytes(20), "a program (executable file)"),
        (b"\xcf\xfa\xed\xfe\x07\x00\x00\x01", "a program (executable file)"),
        (b"#!/bin/sh\nrm -rf ~\n", "a script (a program)"),
        (b"<!DOCTYPE html><html><body>CV</body></html>", "a web page (HTML)"),
        (b"\n  <html>\n<script>alert(1)</script>", "a web page (HTML)"),
        (b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "a web page (HTML)"),
        (b'<?xml version="1.0"?><cv><name>Zoe</name></cv>', "an XML file"),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100),
            "an older Microsoft Office file (such as a .doc document) or a password-protected"
            " document",
        ),
        (b"{\\rtf1\\ansi Curriculum vitae}", "a Rich Text Format (.rtf) document"),
        (b"\x1f\x8b\x08\x00" + bytes(10), "a compressed (gzip) archive"),
        (b"PK\x05\x06" + bytes(18), "an empty ZIP archive"),
        (b"BM\x36\x00\x0c\x00\x00\x00\x00\x00" + bytes(40), "a BMP image"),
        (bytes(range(256)) * 4, "a file in a format HireLadder cannot read"),
    ],
)
def test_other_formats_are_refused_saying_what_they_look_like(data: bytes, looks_like: str) -> None:
    error = rejected(data, "upload")
    assert error.reason is RejectReason.UNSUPPORTED
    assert str(error) == f"{ACCEPTED}; this file looks like {looks_like}."


def test_the_recruiter_message_for_a_png() -> None:
    assert str(rejected(PNG, "photo.png")) == (
        "The CV must be a PDF, a Word (.docx) document or a plain-text file; "
        "this file looks like a PNG image."
    )


@pytest.mark.parametrize("filename", ["cv.pdf", "C:\\Users\\me\\CV.PDF", "cv.docx", "cv.txt"])
def test_renamed_executable_says_what_its_name_claims(filename: str) -> None:
    error = rejected(WINDOWS_EXE, filename)
    claimed = Path(filename.replace("\\", "/")).suffix.lower()
    assert str(error).endswith(
        f"looks like a Windows program (executable file), although its name ends in {claimed}."
    )


# --- plain text ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        b"Zoe O'Brien\nCustomer Success Manager\n",
        "Zoë O\u2019Brien \u2014 Responsable réussite client\r\n東京 · Лондон · 🚀\n".encode(),
        b"\xef\xbb\xbfWith a byte-order mark\n",
        b"MZ Consulting Ltd, 2019-2024\nAccount management\n",
        b"BM Group: 2015-2019\n",
        b"Name:\tZoe\fPage two\n",
        b"A single line without newline",
    ],
)
def test_plain_text_is_accepted(data: bytes) -> None:
    assert sniff_cv(data, "cv.txt") is CvKind.TEXT


def test_a_few_stray_control_characters_are_tolerated() -> None:
    data = ("Experience\x1b\n" + "Ten years in customer success.\n" * 10).encode()
    assert sniff_cv(data, "cv.txt") is CvKind.TEXT


@pytest.mark.parametrize(("every", "accepted"), [(100, True), (60, True), (30, False)])
def test_control_character_threshold(every: int, accepted: bool) -> None:
    data = ("x" * (every - 1) + "\x02").encode() * 10
    if accepted:
        assert sniff_cv(data, "cv.txt") is CvKind.TEXT
    else:
        assert rejected(data, "cv.txt").reason is RejectReason.UNSUPPORTED


def test_text_full_of_control_characters_is_refused() -> None:
    data = ("A\x01\x02\x03\x04\x05B\x06" * 20).encode()
    assert rejected(data, "cv.txt").reason is RejectReason.UNSUPPORTED


def test_text_with_nul_bytes_is_refused() -> None:
    error = rejected(b"Zoe O'Brien\x00\x00Customer Success\n", "cv.txt")
    assert error.reason is RejectReason.UNSUPPORTED
    assert "although its name ends in .txt" in str(error)


@pytest.mark.parametrize(
    "data",
    [
        "Zoë O'Brien, Lyon\n".encode("latin-1"),
        "Zoë O'Brien\n".encode("cp1252") + b"\x93quoted\x94\n",
        b"Valid start\n\xc3\x28 invalid continuation",
        b"Overlong \xc0\xaf slash",
        b"Surrogate \xed\xa0\x80 half",
    ],
)
def test_invalid_utf8_is_refused_with_an_encoding_message(data: bytes) -> None:
    error = rejected(data, "cv.txt")
    assert error.reason is RejectReason.TEXT_ENCODING
    assert "UTF-8" in str(error)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-32"])
def test_utf16_and_utf32_text_is_refused_with_an_encoding_message(encoding: str) -> None:
    error = rejected("Zoë O'Brien\n".encode(encoding), "cv.txt")
    assert error.reason is RejectReason.TEXT_ENCODING


@pytest.mark.parametrize("data", [b"", b"   \n\t\r\n", b"\x00\x00\x00"])
def test_empty_file_is_refused(data: bytes) -> None:
    error = rejected(data, "cv.pdf")
    assert error.reason is RejectReason.EMPTY
    assert "empty" in str(error)


def test_bom_only_text_is_empty() -> None:
    assert rejected(b"\xef\xbb\xbf \n", "cv.txt").reason is RejectReason.EMPTY


# --- robustness ------------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=2048))
def test_arbitrary_bytes_are_accepted_or_rejected_cleanly(data: bytes) -> None:
    try:
        kind = sniff_cv(data, "cv.bin")
    except CvRejected as error:
        assert str(error)
        assert isinstance(error.reason, RejectReason)
    else:
        assert kind in set(CvKind)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(min_value=0, max_value=len(DOCX) - 1), st.integers(0, 255)),
        min_size=1,
        max_size=6,
    ),
    st.integers(min_value=1, max_value=len(DOCX)),
)
def test_corrupted_docx_never_escapes_as_another_exception(
    flips: list[tuple[int, int]], length: int
) -> None:
    data = bytearray(DOCX)
    for position, value in flips:
        data[position] = value
    with contextlib.suppress(CvRejected):
        sniff_cv(bytes(data[:length]), "cv.docx")


# --- storage ---------------------------------------------------------------------------

KEY_RE = re.compile(r"[A-Za-z0-9_-]{32}\.(pdf|docx|txt)")


def test_save_writes_the_bytes_under_a_random_key(tmp_path: Path) -> None:
    store = CvStore(tmp_path / "cv")
    stored = store.save(PDF, "My CV.pdf", CvKind.PDF)
    assert isinstance(stored, StoredFile)
    assert KEY_RE.fullmatch(stored.key)
    assert stored.key.endswith(".pdf")
    assert "My CV" not in stored.key
    assert stored.size == len(PDF)
    assert stored.sha256 == hashlib.sha256(PDF).hexdigest()
    assert stored.content_type == "application/pdf"
    assert stored.original_filename == "My CV.pdf"
    assert stored.kind is CvKind.PDF
    path = store.path(stored.key)
    assert path == (tmp_path / "cv").resolve() / stored.key[:2] / stored.key[2:4] / stored.key
    assert path.read_bytes() == PDF
    with store.open(stored.key) as handle:
        assert handle.read() == PDF


@pytest.mark.parametrize(
    ("kind", "extension", "content_type"),
    [
        (CvKind.PDF, ".pdf", "application/pdf"),
        (
            CvKind.DOCX,
            ".docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (CvKind.TEXT, ".txt", "text/plain; charset=utf-8"),
    ],
)
def test_extension_and_content_type_come_from_the_kind(
    tmp_path: Path, kind: CvKind, extension: str, content_type: str
) -> None:
    stored = CvStore(tmp_path).save(b"data", "cv.exe", kind)
    assert stored.key.endswith(extension)
    assert stored.content_type == content_type
    assert kind_of_key(stored.key) is kind


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_files_are_private(tmp_path: Path) -> None:
    store = CvStore(tmp_path / "uploads" / "cv")
    old_umask = os.umask(0o022)
    try:
        stored = store.save(b"secret", "cv.txt", CvKind.TEXT)
    finally:
        os.umask(old_umask)
    path = store.path(stored.key)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(path.parent.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(store.root.stat().st_mode) == 0o700


def test_keys_are_unique(tmp_path: Path) -> None:
    store = CvStore(tmp_path)
    keys = {store.save(b"same", "cv.txt", CvKind.TEXT).key for _ in range(50)}
    assert len(keys) == 50


def test_save_leaves_no_temporary_files(tmp_path: Path) -> None:
    store = CvStore(tmp_path)
    stored = store.save(b"data", "cv.txt", CvKind.TEXT)
    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert files == [store.path(stored.key)]


def test_failed_save_leaves_nothing_behind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken_fsync(fd: int) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    with pytest.raises(OSError, match="disk full"):
        CvStore(tmp_path).save(b"data", "cv.txt", CvKind.TEXT)
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


def test_delete(tmp_path: Path) -> None:
    store = CvStore(tmp_path)
    stored = store.save(b"data", "cv.txt", CvKind.TEXT)
    assert store.delete(stored.key) is True
    assert not store.path(stored.key).exists()
    assert store.delete(stored.key) is False
    with pytest.raises(FileNotFoundError):
        store.open(stored.key)


BAD_KEYS = [
    "",
    "../../etc/passwd",
    "../" + "a" * 29 + ".pdf",
    "a" * 32 + ".pdf/../../x",
    "/etc/passwd",
    "a" * 32 + ".exe",
    "a" * 32 + ".PDF",
    "a" * 31 + ".pdf",
    "a" * 33 + ".pdf",
    "a" * 32 + ".pdf\n",
    "a" * 32 + ".pdf\x00",
    "a" * 31 + "/.pdf",
    "a" * 31 + "\\.pdf",
    "a" * 31 + "..pdf",
    "\uff41" * 32 + ".pdf",
    "a" * 32,
]


@pytest.mark.parametrize("key", BAD_KEYS)
def test_malformed_keys_are_refused_everywhere(tmp_path: Path, key: str) -> None:
    store = CvStore(tmp_path)
    with pytest.raises(InvalidCvKey):
        store.path(key)
    with pytest.raises(InvalidCvKey):
        store.open(key)
    with pytest.raises(InvalidCvKey):
        store.delete(key)


@pytest.mark.skipif(os.name != "posix", reason="symlinks and O_NOFOLLOW")
def test_open_does_not_follow_a_symlink(tmp_path: Path) -> None:
    store = CvStore(tmp_path / "cv")
    stored = store.save(b"data", "cv.txt", CvKind.TEXT)
    path = store.path(stored.key)
    secret = tmp_path / "secret.txt"
    secret.write_text("not a CV")
    path.unlink()
    path.symlink_to(secret)
    with pytest.raises(OSError):
        store.open(stored.key)


def test_store_refuses_to_live_in_the_web_root(tmp_path: Path) -> None:
    static = tmp_path / "app" / "static"
    for root in (static, static / "uploads" / "cv"):
        with pytest.raises(ValueError, match="must not be inside"):
            CvStore(root, web_roots=[static])
    store = CvStore(tmp_path / "instance" / "uploads" / "cv", web_roots=[static])
    assert store.root == (tmp_path / "instance" / "uploads" / "cv").resolve()


def test_store_sees_through_dot_dot_in_its_root(tmp_path: Path) -> None:
    static = tmp_path / "app" / "static"
    sneaky = tmp_path / "instance" / ".." / "app" / "static" / "cv"
    with pytest.raises(ValueError):
        CvStore(sneaky, web_roots=[static])


@pytest.mark.parametrize(
    ("given_name", "kept"),
    [
        ("cv.pdf", "cv.pdf"),
        ("C:\\Users\\zoe\\Documents\\CV 2024.docx", "CV 2024.docx"),
        ("/home/zoe/cv.txt", "cv.txt"),
        ("cv\r\n.pdf", "cv.pdf"),
        ("\u202efdp.exe", "fdp.exe"),
        ("", "cv"),
        ("../", "cv"),
        ("Zoe\u0301.pdf", "Zoé.pdf"),
    ],
)
def test_original_filename_is_cleaned_for_display(given_name: str, kept: str) -> None:
    assert clean_original_filename(given_name) == kept


def test_original_filename_is_bounded() -> None:
    assert len(clean_original_filename("a" * 1000 + ".pdf")) == 255


# --- download names --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("candidate", "kind", "expected"),
    [
        ("Zoë O'Brien", CvKind.PDF, "Zoë O'Brien - CV.pdf"),
        ("Jean-Luc Picard", CvKind.DOCX, "Jean-Luc Picard - CV.docx"),
        ("  Ada   Lovelace ", CvKind.TEXT, "Ada Lovelace - CV.txt"),
        ("佐藤 花子", CvKind.PDF, "佐藤 花子 - CV.pdf"),
        ("José\u0301", CvKind.PDF, "José\u0301 - CV.pdf"),
        ("../../etc/passwd", CvKind.PDF, "etc passwd - CV.pdf"),
        ('Robert "Bob"; Tables', CvKind.PDF, "Robert Bob Tables - CV.pdf"),
        ("Smith, John", CvKind.PDF, "Smith John - CV.pdf"),
        ("Evil\r\nSet-Cookie: x=1", CvKind.PDF, "Evil Set-Cookie x 1 - CV.pdf"),
        ("\u202egpj.exe", CvKind.PDF, "gpj.exe - CV.pdf"),
        (
            "\uff26\uff35\uff2c\uff2c\uff0f\uff37\uff29\uff24\uff34\uff28",
            CvKind.PDF,
            "FULL WIDTH - CV.pdf",
        ),
        (".hidden", CvKind.PDF, "hidden - CV.pdf"),
        ("-rf", CvKind.PDF, "rf - CV.pdf"),
        ("Dr. J. R. R. Tolkien...", CvKind.PDF, "Dr. J. R. R. Tolkien - CV.pdf"),
        ("", CvKind.PDF, "CV.pdf"),
        ('<>:"/\\|?*', CvKind.DOCX, "CV.docx"),
    ],
)
def test_download_name(candidate: str, kind: CvKind, expected: str) -> None:
    assert download_name(candidate, kind) == expected


def test_download_name_is_bounded_without_splitting_characters() -> None:
    name = download_name("a" + "é" * 500, CvKind.PDF)
    stem = name.removesuffix(" - CV.pdf")
    assert 100 < len(stem.encode()) <= 120
    assert set(stem) == {"a", "é"}


@given(st.text(max_size=300), st.sampled_from(list(CvKind)))
def test_download_name_is_always_safe(candidate: str, kind: CvKind) -> None:
    name = download_name(candidate, kind)
    assert name.endswith(kind.extension)
    assert not name.startswith((".", "-", " "))
    assert len(name.encode()) <= 255
    assert not set(name) & set('/\\";:,*?<>|\r\n\t\x00')
    assert all(ch.isprintable() for ch in name)


# --- names and active content -----------------------------------------------------------


def test_stored_names_lose_control_and_bidi_characters():
    from app.hiring.cv_content import clean_filename

    assert clean_filename("cv\u202efdp.exe") == "cvfdp.exe"
    assert clean_filename("a\u200bb\u2066c\x07.pdf") == "abc.pdf"


@pytest.mark.parametrize(
    ("kind", "name"),
    [
        (CvKind.PDF, "CV.PDF"),
        (CvKind.DOCX, "my cv.docx"),
        (CvKind.TEXT, "cv.txt"),
        (CvKind.TEXT, "notes.md"),
    ],
)
def test_matching_names_are_accepted(kind, name):
    from app.hiring.cv_content import check_name

    check_name(kind, name)


def test_ordinary_pdfs_from_real_writers_are_accepted():
    """No false alarms: a pypdf page, and a WeasyPrint document with compressed object
    streams and an outline."""
    from pypdf import PdfWriter
    from weasyprint import HTML

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    buffer = io.BytesIO()
    writer.write(buffer)
    assert sniff_cv(buffer.getvalue(), "cv.pdf") is CvKind.PDF
    printed = HTML(
        string="<h1>Jo Smith</h1><h2>Experience</h2><p>JS and AA batteries</p>"
    ).write_pdf()
    assert sniff_cv(printed, "cv.pdf") is CvKind.PDF


def test_an_object_stream_that_cannot_be_read_is_refused():
    bad = (
        b"%PDF-1.5\n3 0 obj <</Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length 5>>\n"
        b"stream\nxxxxx\nendstream\nendobj\ntrailer <<>>\n%%EOF\n"
    )
    with pytest.raises(CvRejected) as caught:
        sniff_cv(bad, "cv.pdf")
    assert caught.value.reason == RejectReason.PDF_UNCHECKABLE


def test_a_false_endstream_cannot_hide_an_object_streams_tail():
    """Stored (uncompressed) deflate blocks let a writer put the bytes ``endstream`` in a
    stream's data; what follows must still be read, or the PDF refused."""
    literal = b"endstream\n"
    body = b"5 0 << /S /JavaScript /JS (app.alert(1)) >>" + b" " * 64
    stored = b"\x00" + struct.pack("<HH", len(literal), 0xFFFF ^ len(literal)) + literal
    rest = zlib.compressobj(9, zlib.DEFLATED, -15)
    packed = (
        b"\x78\x01"
        + stored
        + rest.compress(body)
        + rest.flush()
        + struct.pack(">I", zlib.adler32(literal + body))
    )
    assert zlib.decompress(packed) == literal + body and b"endstream" in packed
    for length in (len(packed), 1):
        pdf = (
            b"%PDF-1.5\n3 0 obj <</Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length "
            + str(length).encode()
            + b">>\nstream\n"
            + packed
            + b"\nendstream\nendobj\ntrailer <<>>\n%%EOF\n"
        )
        with pytest.raises(CvRejected) as caught:
            sniff_cv(pdf, "cv.pdf")
        assert caught.value.reason in {
            RejectReason.PDF_ACTIVE_CONTENT,
            RejectReason.PDF_UNCHECKABLE,
        }
