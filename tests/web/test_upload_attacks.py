"""CV uploads that must be refused through the real form, with nothing stored."""

from __future__ import annotations

import io
import zipfile

import pytest
from sqlalchemy import select
from werkzeug.test import EnvironBuilder

from app.db import db
from app.models import Candidate
from tests.conftest import login_as


def docx_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Override PartName="/word/document.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        )
        archive.writestr("word/document.xml", b"<w:document/>")
        archive.writestr("word/media/padding.bin", b"\0" * (60 * 1024 * 1024))
    return buffer.getvalue()


WINDOWS_EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 56 + b"PE\x00\x00" + b"\x00" * 200
ELF = b"\x7fELF\x02\x01\x01" + b"\x00" * 200


@pytest.mark.parametrize(
    ("payload", "filename"),
    [
        (WINDOWS_EXE, "cv.pdf"),
        (ELF, "cv.docx"),
        (b"<html><script>alert(1)</script></html>", "cv.txt"),
        (docx_bomb(), "cv.docx"),
    ],
    ids=["exe-as-pdf", "elf-as-docx", "html-as-text", "zip-bomb"],
)
def test_malicious_cv_is_refused_and_nothing_is_kept(
    app, client, users, hiring_objects, payload, filename
):
    login_as(app, client, users["recruiter"])
    before = sorted(p.name for p in app.config["CV_STORAGE_DIR"].rglob("*") if p.is_file())
    response = client.post(
        f"/hiring/requisitions/{hiring_objects['requisition_id']}/candidates/new",
        data={
            "name": "Mallory",
            "email": "mallory@example.org",
            "consent_on": "2026-11-01",
            "cv": (io.BytesIO(payload), filename),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 200
    assert 'id="cv-help" class="field-error"' in response.text
    with app.app_context():
        assert db.session.scalar(select(Candidate).where(Candidate.name == "Mallory")) is None
    after = sorted(p.name for p in app.config["CV_STORAGE_DIR"].rglob("*") if p.is_file())
    assert after == before


def test_oversized_upload_gets_413(app, client, users, hiring_objects):
    login_as(app, client, users["recruiter"])
    too_big = b"%PDF-1.4\n" + b"0" * (app.config["MAX_CONTENT_LENGTH"] + 1)
    builder = EnvironBuilder(
        base_url="http://hireladder.test",
        path=f"/hiring/requisitions/{hiring_objects['requisition_id']}/candidates/new",
        method="POST",
        data={
            "name": "Big",
            "email": "big@example.org",
            "consent_on": "2026-11-01",
            "cv": (io.BytesIO(too_big), "cv.pdf"),
        },
        content_type="multipart/form-data",
    )
    try:
        response = client.open(builder)
    finally:
        builder.close()
    # The encoded body was spooled to a temporary file; the app refused to read it.
    response.request.environ["wsgi.input"].close()
    assert response.status_code == 413
    assert "larger than allowed" in response.text


# --- names that lie, PDFs that run something -------------------------------------------

MINIMAL = (
    b"%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R{extra}>> endobj\n"
    b"2 0 obj <</Type /Pages /Kids [] /Count 0>> endobj\n{more}"
    b"trailer <</Root 1 0 R>>\n%%EOF\n"
)


def pdf(extra: bytes = b"", more: bytes = b"") -> bytes:
    return MINIMAL.replace(b"{extra}", extra).replace(b"{more}", more)


def object_stream(body: bytes) -> bytes:
    import zlib

    packed = zlib.compress(body)
    return (
        b"3 0 obj <</Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length "
        + str(len(packed)).encode()
        + b">>\nstream\n"
        + packed
        + b"\nendstream\nendobj\n"
    )


def pypdf_with_javascript() -> bytes:
    from pypdf import PdfWriter
    from pypdf.actions import JavaScript

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.add_open_action(JavaScript("app.alert('hello');"))
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("payload", "filename", "message"),
    [
        (pdf(), "cv\u202efdp.exe", "its name ends in .exe"),
        (pdf(), "cv.docx", "its name ends in .docx"),
        (b"Plain text CV\nExperience: lots\n", "cv.pdf", "its name ends in .pdf"),
        (pdf(), "cv", "its name has no extension"),
        (
            pdf(b" /OpenAction << /S /JavaScript /JS (app.alert(1)) >>"),
            "cv.pdf",
            "/JS, /JavaScript",
        ),
        (pdf(b" /OpenAction << /S /Launch /F (calc.exe) >>"), "cv.pdf", "/Launch"),
        (pdf(b" /AA << /O 4 0 R >>"), "cv.pdf", "/AA"),
        (pdf(b" /Names << /J#61vaScript 5 0 R >>"), "cv.pdf", "/JavaScript"),
        (pdf(more=object_stream(b"5 0 << /S /JavaScript /JS (app.alert(1)) >>")), "cv.pdf", "/JS"),
        (pypdf_with_javascript(), "cv.pdf", "/JS"),
    ],
    ids=[
        "bidi-override-exe",
        "pdf-named-docx",
        "text-named-pdf",
        "no-extension",
        "javascript-open-action",
        "launch-action",
        "additional-actions",
        "hex-escaped-name",
        "javascript-in-object-stream",
        "pypdf-javascript",
    ],
)
def test_lying_names_and_active_pdfs_are_refused(
    app, client, users, hiring_objects, payload, filename, message
):
    login_as(app, client, users["recruiter"])
    before = sorted(p.name for p in app.config["CV_STORAGE_DIR"].rglob("*") if p.is_file())
    response = client.post(
        f"/hiring/requisitions/{hiring_objects['requisition_id']}/candidates/new",
        data={
            "name": "Mallory",
            "email": "mallory@example.org",
            "consent_on": "2026-11-01",
            "cv": (io.BytesIO(payload), filename),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 200
    assert 'id="cv-help" class="field-error"' in response.text
    assert message in response.text
    with app.app_context():
        assert db.session.scalar(select(Candidate).where(Candidate.name == "Mallory")) is None
    after = sorted(p.name for p in app.config["CV_STORAGE_DIR"].rglob("*") if p.is_file())
    assert after == before
