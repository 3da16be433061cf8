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
