"""What a candidate's CV is, judged by its content; the name must then agree.

``sniff_cv`` accepts PDF (without scripts or actions), Word (.docx) and UTF-8 plain text
and refuses everything else with a message a recruiter can act on; ``check_name`` refuses
a name whose extension does not match the content (``cv\\u202efdp.exe`` holding a PDF).
A .docx is a ZIP archive, so it is inspected in memory against zip bombs before it is
accepted: nothing is ever extracted to disk.
Where accepted files are kept is :mod:`app.hiring.cv_storage`.
"""

from __future__ import annotations

import re
import struct
import unicodedata
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from io import BytesIO
from pathlib import Path
from xml.parsers import expat

MB = 1024 * 1024

#: Total size a .docx may expand to. Text-and-photo CVs stay far below 5 MB.
DEFAULT_MAX_UNCOMPRESSED = 50 * MB
#: Parts in a .docx. Word writes 10 to 30, plus one per embedded image.
DEFAULT_MAX_MEMBERS = 1000
#: Compression ratio above which a large part is taken for a zip bomb.
DEFAULT_MAX_RATIO = 100
#: Parts smaller than this are not ratio-checked: small XML parts compress very well.
DEFAULT_RATIO_THRESHOLD = 1 * MB
#: ``[Content_Types].xml`` is a few kilobytes in practice.
MAX_CONTENT_TYPES_SIZE = 1 * MB

ACCEPTED = "The CV must be a PDF, a Word (.docx) document or a plain-text file"

DOCX_MAIN_CONTENT_TYPE = (
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
)
DOCX_TEMPLATE_CONTENT_TYPE = (
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"
)
VBA_PROJECT_CONTENT_TYPE = "application/vnd.ms-office.vbaproject"
CONTENT_TYPES_PART = "[Content_Types].xml"
DOCX_MAIN_PART = "word/document.xml"

_ZIP_LOCAL_HEADER = b"PK\x03\x04"
_ZIP_CENTRAL_HEADER = b"PK\x01\x02"
_ZIP_MAGICS = (_ZIP_LOCAL_HEADER, b"PK\x05\x06", b"PK\x07\x08")
_LOCAL_HEADER = struct.Struct("<4sHHHHHIIIHH")
_CHUNK = 64 * 1024
_UTF8_BOM = b"\xef\xbb\xbf"
_ASCII_WHITESPACE = b" \t\r\n\f\v\x00"


class CvKind(StrEnum):
    """The three kinds of CV HireLadder accepts."""

    PDF = "pdf"
    DOCX = "docx"
    TEXT = "text"

    @property
    def extension(self) -> str:
        return _EXTENSIONS[self]

    @property
    def content_type(self) -> str:
        return _CONTENT_TYPES[self]

    @property
    def label(self) -> str:
        return _LABELS[self]


_EXTENSIONS = {CvKind.PDF: ".pdf", CvKind.DOCX: ".docx", CvKind.TEXT: ".txt"}
_CONTENT_TYPES = {
    CvKind.PDF: "application/pdf",
    CvKind.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    CvKind.TEXT: "text/plain; charset=utf-8",
}
_LABELS = {CvKind.PDF: "PDF", CvKind.DOCX: "Word document", CvKind.TEXT: "plain text"}


class RejectReason(StrEnum):
    """Why a file was refused; stable codes for logs and tests."""

    EMPTY = "empty"
    UNSUPPORTED = "unsupported"
    PDF_DAMAGED = "pdf-damaged"
    PDF_ACTIVE_CONTENT = "pdf-active-content"
    PDF_UNCHECKABLE = "pdf-uncheckable"
    NAME_MISMATCH = "name-mismatch"
    TEXT_ENCODING = "text-encoding"
    DOCX_DAMAGED = "docx-damaged"
    DOCX_ENCRYPTED = "docx-encrypted"
    DOCX_TOO_MANY_PARTS = "docx-too-many-parts"
    DOCX_TOO_LARGE = "docx-too-large"
    DOCX_RATIO = "docx-ratio"
    DOCX_UNSAFE_NAME = "docx-unsafe-name"
    DOCX_NESTED_ARCHIVE = "docx-nested-archive"
    DOCX_MACROS = "docx-macros"


class CvRejected(Exception):
    """The uploaded file cannot be accepted as a CV; ``str(error)`` is for the recruiter."""

    def __init__(self, message: str, reason: RejectReason) -> None:
        super().__init__(message)
        self.message = message
        self.reason = reason


def _unsupported(what: str, filename: str) -> CvRejected:
    claimed = _claimed_extension(filename)
    if claimed:
        what = f"{what}, although its name ends in {claimed}"
    return CvRejected(f"{ACCEPTED}; this file looks like {what}.", RejectReason.UNSUPPORTED)


def _claimed_extension(filename: str) -> str | None:
    suffix = Path(filename.replace("\\", "/")).suffix.lower()
    return suffix if suffix in {".pdf", ".docx", ".txt"} else None


def _docx_refused(detail: str, reason: RejectReason) -> CvRejected:
    return CvRejected(
        f"This Word document cannot be accepted: {detail}. "
        "Save the CV as a PDF and upload that instead.",
        reason,
    )


# --- sniffing --------------------------------------------------------------------------

_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"\x7fELF", "a program (executable file)"),
    (b"\xfe\xed\xfa\xce", "a program (executable file)"),
    (b"\xfe\xed\xfa\xcf", "a program (executable file)"),
    (b"\xce\xfa\xed\xfe", "a program (executable file)"),
    (b"\xcf\xfa\xed\xfe", "a program (executable file)"),
    (b"\xca\xfe\xba\xbe", "a program (executable file)"),
    (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        "an older Microsoft Office file (such as a .doc document) or a password-protected document",
    ),
    (b"{\\rtf", "a Rich Text Format (.rtf) document"),
    (b"%!PS", "a PostScript file"),
    (b"\x1f\x8b", "a compressed (gzip) archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"PK\x05\x06", "an empty ZIP archive"),
    (b"PK\x07\x08", "a ZIP archive"),
)
# Two-letter signatures are only trusted once the file has failed the text check.
_WEAK_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"MZ", "a Windows program (executable file)"),
    (b"BM", "a BMP image"),
)
_UTF16_32_BOMS = (b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")
_HTML_MARKERS = ("<!doctype html", "<html", "<head", "<body", "<script", "<iframe", "<svg")


def sniff_cv(
    data: bytes,
    filename: str = "",
    *,
    max_uncompressed: int = DEFAULT_MAX_UNCOMPRESSED,
    max_members: int = DEFAULT_MAX_MEMBERS,
    max_ratio: int = DEFAULT_MAX_RATIO,
    ratio_threshold: int = DEFAULT_RATIO_THRESHOLD,
) -> CvKind:
    """Decide from its bytes whether ``data`` is a CV HireLadder accepts, and which kind.

    ``filename`` is the name the browser sent; it never decides the kind and only makes
    the refusal clearer ("…although its name ends in .pdf"). Raises ``CvRejected``.
    """
    if not data.strip(_ASCII_WHITESPACE):
        raise CvRejected(
            "The file is empty. Choose the CV again; if it is still empty, open it and save a"
            " new copy.",
            RejectReason.EMPTY,
        )
    head = data[:16]
    if _looks_like_pdf(data):
        if not _has_pdf_trailer(data):
            raise CvRejected(
                "This PDF looks incomplete or damaged (it has no end-of-file marker). Export or"
                " save it again and upload the new file.",
                RejectReason.PDF_DAMAGED,
            )
        _check_pdf_actions(data)
        return CvKind.PDF
    if head.startswith(_ZIP_LOCAL_HEADER):
        _check_docx(
            data,
            filename,
            max_uncompressed=max_uncompressed,
            max_members=max_members,
            max_ratio=max_ratio,
            ratio_threshold=ratio_threshold,
        )
        return CvKind.DOCX
    what = _strong_signature(data)
    if what:
        raise _unsupported(what, filename)
    if head.startswith(_UTF16_32_BOMS):
        raise CvRejected(
            "Plain-text CVs must be saved as UTF-8, and this file is in UTF-16 or UTF-32. Save it"
            " again as UTF-8 text, or as a PDF.",
            RejectReason.TEXT_ENCODING,
        )
    _check_text(data, filename)
    return CvKind.TEXT


def _looks_like_pdf(data: bytes) -> bool:
    body = data[:1024].removeprefix(_UTF8_BOM).lstrip(b" \t\r\n\f")
    return re.match(rb"%PDF-\d\.\d", body[:16]) is not None


def _has_pdf_trailer(data: bytes) -> bool:
    # Readers look for the marker in the last kilobyte; writers often pad after it.
    return b"%%EOF" in data[-1024:]


def _strong_signature(data: bytes) -> str | None:
    for magic, what in _SIGNATURES:
        if data.startswith(magic):
            return what
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "a WebP image"
    if data[4:8] == b"ftyp":
        brand = data[8:12]
        if brand in {b"heic", b"heix", b"mif1", b"msf1", b"avif"}:
            return "a photo (HEIC or AVIF image)"
        return "a video or audio file"
    return None


def _check_text(data: bytes, filename: str) -> None:
    if b"\x00" in data:
        raise _unsupported(
            _weak_signature(data) or "a file in a format HireLadder cannot read", filename
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        weak = _weak_signature(data)
        if weak:
            raise _unsupported(weak, filename) from None
        raise CvRejected(
            "Plain-text CVs must be saved as UTF-8, and this file uses another text encoding"
            " (or is not text at all). Save it again as UTF-8 text, or as a PDF.",
            RejectReason.TEXT_ENCODING,
        ) from None
    if not text.strip():
        raise CvRejected("The file contains no text.", RejectReason.EMPTY)
    controls = sum(1 for ch in text if _is_stray_control(ch))
    if controls * 50 > len(text):
        raise _unsupported(
            _weak_signature(data) or "a file in a format HireLadder cannot read", filename
        )
    start = text.lstrip()
    lowered = start[:4096].lower()
    if start.startswith("#!"):
        raise _unsupported("a script (a program)", filename)
    if start.startswith("<") and any(marker in lowered for marker in _HTML_MARKERS):
        raise _unsupported("a web page (HTML)", filename)
    if lowered.startswith("<?xml"):
        raise _unsupported("an XML file", filename)


def _is_stray_control(ch: str) -> bool:
    return ch not in "\t\n\r\f" and unicodedata.category(ch) == "Cc"


def _weak_signature(data: bytes) -> str | None:
    for magic, what in _WEAK_SIGNATURES:
        if data.startswith(magic):
            return what
    return None


# --- file names --------------------------------------------------------------------------

#: The extensions a file's name may end in, per kind of content.
NAME_EXTENSIONS = {
    CvKind.PDF: (".pdf",),
    CvKind.DOCX: (".docx",),
    CvKind.TEXT: (".txt", ".text", ".md"),
}


def clean_filename(name: str, *, limit: int = 255) -> str:
    """The uploaded name without directories and without control or format characters
    (Unicode Cc and Cf: U+202E RIGHT-TO-LEFT OVERRIDE turns ``cv\\u202efdp.exe`` into what
    reads as ``cvexe.pdf``)."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    base = unicodedata.normalize("NFC", base)
    base = "".join(ch for ch in base if unicodedata.category(ch) not in {"Cc", "Cf"})
    return base.strip()[:limit] or "cv"


def check_name(kind: CvKind, filename: str) -> None:
    """Refuse a file whose name's extension does not match its content (``CvRejected``)."""
    suffix = Path(clean_filename(filename)).suffix.lower()
    allowed = NAME_EXTENSIONS[kind]
    if suffix in allowed:
        return
    named = f"its name ends in {suffix}" if suffix else "its name has no extension"
    raise CvRejected(
        f"This file is {_article(kind.label)} but {named}: a {kind.label} CV's name must end "
        f"in {' or '.join(allowed)}. Rename the file, or choose the file you meant.",
        RejectReason.NAME_MISMATCH,
    )


def _article(label: str) -> str:
    return f"{'an' if label[0].lower() in 'aeiou' else 'a'} {label}"


# --- PDF active content ---------------------------------------------------------------

#: Names that make a PDF run something: JavaScript actions and name trees, launching a
#: program, and additional actions (triggers on open, close, page view, field events). An
#: /OpenAction that runs JavaScript or launches something carries one of these too.
PDF_ACTIVE_NAMES = frozenset({b"JS", b"JavaScript", b"Launch", b"AA"})
#: Decompressed object streams a PDF may hold in all; CVs need a few hundred kilobytes.
MAX_PDF_OBJECT_STREAMS = 50 * MB

_PDF_NAME = re.compile(rb"/([^\x00\t\n\f\r ()<>\[\]{}/%]*)")
_PDF_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_PDF_STREAM = re.compile(rb"\bstream(?:\r\n|\n|\r)")
_PDF_OBJ = re.compile(rb"\bobj\b")


def _pdf_names(text: bytes) -> set[bytes]:
    """Every name in ``text``, with ``#xx`` escapes decoded (``/J#53`` is ``/JS``)."""
    return {
        _PDF_NAME_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), match.group(1))
        for match in _PDF_NAME.finditer(text)
    }


def _pdf_active(names: set[bytes]) -> CvRejected | None:
    found = sorted(n.decode("latin-1") for n in names & PDF_ACTIVE_NAMES)
    if not found:
        return None
    return CvRejected(
        "This PDF contains active content that runs when it is opened ("
        + ", ".join(f"/{name}" for name in found)
        + "), so it cannot be accepted. Print it to a new PDF, or export the CV again without "
        "scripts or actions, and upload that.",
        RejectReason.PDF_ACTIVE_CONTENT,
    )


def _check_pdf_actions(data: bytes) -> None:
    """Refuse a PDF with JavaScript, launch actions or additional actions.

    The bytes are read as PDF syntax, without a PDF library: everything outside streams,
    plus every object stream (where PDF 1.5+ writers compress ordinary objects, actions
    included), decompressed. Other streams (page content, fonts, images) cannot hold
    actions and are skipped. An object stream that cannot be decompressed (another filter,
    or encryption) makes the PDF uncheckable, and it is refused.
    """
    outside: list[bytes] = []
    position = 0
    budget = MAX_PDF_OBJECT_STREAMS
    for match in _PDF_STREAM.finditer(data):
        if match.start() < position:
            continue
        dictionary_start = max(
            (m.end() for m in _PDF_OBJ.finditer(data, position, match.start())), default=position
        )
        dictionary = data[dictionary_start : match.start()]
        outside.append(data[position : match.start()])
        end = _stream_end(data, match.end(), dictionary)
        names = _pdf_names(dictionary)
        if b"ObjStm" in names or (b"N" in names and b"First" in names):
            body = _inflate_object_stream(data[match.end() : end], names, budget)
            budget -= len(body)
            rejected = _pdf_active(_pdf_names(body))
            if rejected is not None:
                raise rejected
        position = end
    outside.append(data[position:])
    rejected = _pdf_active(_pdf_names(b"\n".join(outside)))
    if rejected is not None:
        raise rejected


_PDF_DIRECT_LENGTH = re.compile(rb"/Length\s+(\d{1,10})(?!\s+\d+\s+R)")


def _stream_end(data: bytes, start: int, dictionary: bytes) -> int:
    """Where a stream's data ends: by its direct /Length when ``endstream`` follows it
    there (as readers take it), else at the next ``endstream``."""
    length = _PDF_DIRECT_LENGTH.search(dictionary)
    if length is not None:
        end = start + int(length.group(1))
        if data[end : end + 20].lstrip(b"\r\n \t\f").startswith(b"endstream"):
            return end
    found = data.find(b"endstream", start)
    return len(data) if found < 0 else found


def _inflate_object_stream(body: bytes, names: set[bytes], budget: int) -> bytes:
    filters = names & {
        b"FlateDecode",
        b"Fl",
        b"LZWDecode",
        b"LZW",
        b"ASCIIHexDecode",
        b"AHx",
        b"ASCII85Decode",
        b"A85",
        b"RunLengthDecode",
        b"RL",
        b"Crypt",
    }
    if not filters:
        return body
    if not filters <= {b"FlateDecode", b"Fl"}:
        raise _pdf_uncheckable()
    decompressor = zlib.decompressobj()
    try:
        out = decompressor.decompress(body, max(budget, 0) + 1)
    except zlib.error:
        raise _pdf_uncheckable() from None
    # A stream cut short (a false ``endstream`` inside it) would hide its tail: refuse.
    if len(out) > budget or not decompressor.eof:
        raise _pdf_uncheckable()
    return out


def _pdf_uncheckable() -> CvRejected:
    return CvRejected(
        "This PDF is encrypted, damaged or compressed in an unusual way, so HireLadder cannot "
        "check it for scripts. Print it to a new PDF (or export it again) and upload that.",
        RejectReason.PDF_UNCHECKABLE,
    )


# --- DOCX ------------------------------------------------------------------------------


@dataclass
class _Member:
    info: zipfile.ZipInfo
    data_start: int


def _check_docx(
    data: bytes,
    filename: str,
    *,
    max_uncompressed: int,
    max_members: int,
    max_ratio: int,
    ratio_threshold: int,
) -> None:
    # Counting central-directory signatures before parsing keeps a file with hundreds of
    # thousands of entries from costing anything.
    if data.count(_ZIP_CENTRAL_HEADER) > max_members:
        raise _docx_refused(
            f"it has more than {max_members} internal parts", RejectReason.DOCX_TOO_MANY_PARTS
        )
    try:
        _inspect_docx(
            data,
            filename,
            max_uncompressed=max_uncompressed,
            max_ratio=max_ratio,
            ratio_threshold=ratio_threshold,
        )
    except CvRejected:
        raise
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        zlib.error,
        struct.error,
        expat.ExpatError,
        EOFError,
        ValueError,
        NotImplementedError,
        RuntimeError,
        OverflowError,
        LookupError,
    ) as error:
        raise _damaged() from error


def _damaged() -> CvRejected:
    return CvRejected(
        "This file looks like a damaged Word document or ZIP archive and cannot be read. Open"
        " it, save a new copy (or export a PDF) and upload that.",
        RejectReason.DOCX_DAMAGED,
    )


def _inspect_docx(
    data: bytes,
    filename: str,
    *,
    max_uncompressed: int,
    max_ratio: int,
    ratio_threshold: int,
) -> None:
    with zipfile.ZipFile(BytesIO(data)) as archive:
        infos = archive.infolist()
    seen: set[str] = set()
    for info in infos:
        if _unsafe_member_name(info.filename):
            raise _docx_refused(
                f"it contains a part with an unsafe name ({info.filename!r})",
                RejectReason.DOCX_UNSAFE_NAME,
            )
        folded = info.filename.casefold()
        if folded in seen:
            raise _docx_refused(
                f"it contains the part {info.filename!r} twice", RejectReason.DOCX_UNSAFE_NAME
            )
        seen.add(folded)

    names = {info.filename for info in infos}
    if CONTENT_TYPES_PART not in names or DOCX_MAIN_PART not in names:
        raise _unsupported(_describe_archive(data, names), filename)

    for info in infos:
        if info.flag_bits & 0x41:
            raise _docx_refused(
                "it is password-protected or encrypted", RejectReason.DOCX_ENCRYPTED
            )
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise _damaged()
        if info.filename.casefold().endswith("vbaproject.bin"):
            raise _macros()

    declared_total = sum(info.file_size for info in infos)
    if declared_total > max_uncompressed:
        raise _too_large(max_uncompressed)
    for info in infos:
        if info.file_size > ratio_threshold and info.file_size > max_ratio * max(
            info.compress_size, 1
        ):
            raise _too_compressed(max_ratio)

    members = _locate_members(data, infos)
    content_types = b""
    for member in members:
        name = member.info.filename
        if name == CONTENT_TYPES_PART:
            if member.info.file_size > MAX_CONTENT_TYPES_SIZE:
                raise _damaged()
            content_types = b"".join(_stream_member(data, member))
        elif name == DOCX_MAIN_PART:
            root = _XmlRoot()
            for chunk in _stream_member(data, member):
                root.feed(chunk)
            if root.finish() != "document":
                raise _damaged()
        else:
            head = b""
            for chunk in _stream_member(data, member):
                if len(head) < 4:
                    head += chunk[: 4 - len(head)]
            if head.startswith(_ZIP_MAGICS):
                raise _docx_refused(
                    f"it contains another archive or embedded document ({name!r})",
                    RejectReason.DOCX_NESTED_ARCHIVE,
                )

    _check_content_types(content_types, filename)


def _unsafe_member_name(name: str) -> bool:
    if not name or "\\" in name or name.startswith("/") or re.match(r"[A-Za-z]:", name):
        return True
    if any(unicodedata.category(ch) == "Cc" for ch in name):
        return True
    parts = name.removesuffix("/").split("/")
    return any(part in {"", ".", ".."} for part in parts)


def _describe_archive(data: bytes, names: set[str]) -> str:
    if CONTENT_TYPES_PART in names:
        if "xl/workbook.xml" in names:
            return "an Excel spreadsheet"
        if "ppt/presentation.xml" in names:
            return "a PowerPoint presentation"
        return "a Microsoft Office file that is not a Word document"
    if "mimetype" in names:
        if b"application/vnd.oasis.opendocument.text" in data[:200]:
            return "an OpenDocument text (.odt) file"
        return "an OpenDocument file"
    return "a ZIP archive"


def _locate_members(data: bytes, infos: list[zipfile.ZipInfo]) -> list[_Member]:
    """Find each member's data from its local header, refusing overlapping members."""
    members: list[_Member] = []
    previous_end = 0
    for info in sorted(infos, key=lambda item: item.header_offset):
        offset = info.header_offset
        if offset < previous_end:
            raise _damaged()
        (signature, _v, _flags, _method, _t, _d, _crc, _cs, _us, name_len, extra_len) = (
            _LOCAL_HEADER.unpack_from(data, offset)
        )
        if signature != _ZIP_LOCAL_HEADER:
            raise _damaged()
        name_start = offset + _LOCAL_HEADER.size
        local_name = data[name_start : name_start + name_len]
        if local_name != info.orig_filename.encode("utf-8" if info.flag_bits & 0x800 else "cp437"):
            raise _damaged()
        data_start = name_start + name_len + extra_len
        previous_end = data_start + info.compress_size
        if previous_end > len(data):
            raise _damaged()
        members.append(_Member(info, data_start))
    return members


def _stream_member(data: bytes, member: _Member) -> Iterator[bytes]:
    """Decompress one member in chunks, counting what really comes out.

    The declared sizes were checked against the limits already. Output beyond the declared
    size stops the stream at once, so no member expands past what the limits allowed, and
    the size and CRC must match at the end.
    """
    info = member.info
    view = memoryview(data)[member.data_start : member.data_start + info.compress_size]
    produced = 0
    crc = 0
    for chunk in _raw_chunks(view, info.compress_type):
        produced += len(chunk)
        if produced > info.file_size:
            raise _damaged()
        crc = zlib.crc32(chunk, crc)
        yield chunk
    if produced != info.file_size or crc != info.CRC:
        raise _damaged()


def _raw_chunks(view: memoryview, method: int) -> Iterator[bytes]:
    if method == zipfile.ZIP_STORED:
        for start in range(0, len(view), _CHUNK):
            yield bytes(view[start : start + _CHUNK])
        return
    decompressor = zlib.decompressobj(-zlib.MAX_WBITS)
    position = 0
    pending = b""
    while not decompressor.eof:
        if not pending and position < len(view):
            pending = bytes(view[position : position + _CHUNK])
            position += len(pending)
        out = decompressor.decompress(pending, _CHUNK)
        pending = decompressor.unconsumed_tail
        if out:
            yield out
        elif not pending and position >= len(view):
            raise _damaged()


class _XmlRoot:
    """Streaming well-formedness check that returns the root element's local name.

    Document type declarations are refused outright: OOXML never has them, and without them
    there is no entity expansion to abuse.
    """

    def __init__(self) -> None:
        self.root: str | None = None
        self.parser = expat.ParserCreate(namespace_separator=" ")
        self.parser.StartDoctypeDeclHandler = self._refuse_doctype
        self.parser.StartElementHandler = self._start

    def _refuse_doctype(self, *_args: object) -> None:
        raise _damaged()

    def _start(self, name: str, _attributes: dict[str, str]) -> None:
        if self.root is None:
            self.root = name.rpartition(" ")[2]

    def feed(self, chunk: bytes) -> None:
        self.parser.Parse(chunk, False)

    def finish(self) -> str | None:
        self.parser.Parse(b"", True)
        return self.root


def _check_content_types(xml: bytes, filename: str) -> None:
    defaults: dict[str, str] = {}
    overrides: dict[str, str] = {}

    def start(name: str, attributes: dict[str, str]) -> None:
        local = name.rpartition(" ")[2]
        content_type = attributes.get("ContentType", "").split(";")[0].strip().lower()
        if local == "Default":
            defaults[attributes.get("Extension", "").lower()] = content_type
        elif local == "Override":
            overrides[attributes.get("PartName", "").lower()] = content_type

    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartDoctypeDeclHandler = _raise_damaged
    parser.StartElementHandler = start
    parser.Parse(xml, True)

    every_type = [*defaults.values(), *overrides.values()]
    if any("macroenabled" in ct or ct == VBA_PROJECT_CONTENT_TYPE for ct in every_type):
        raise _macros()
    main = overrides.get("/" + DOCX_MAIN_PART, defaults.get("xml", ""))
    if main == DOCX_MAIN_CONTENT_TYPE:
        return
    if main == DOCX_TEMPLATE_CONTENT_TYPE:
        raise _unsupported("a Word template (.dotx)", filename)
    raise _unsupported("a Microsoft Office file that is not a Word document", filename)


def _raise_damaged(*_args: object) -> None:
    raise _damaged()


def _macros() -> CvRejected:
    return CvRejected(
        "This is a macro-enabled Word document (.docm), and macros can carry malware. Save it"
        " as an ordinary Word document (.docx) or as a PDF and upload that instead.",
        RejectReason.DOCX_MACROS,
    )


def _too_large(limit: int) -> CvRejected:
    return _docx_refused(
        f"it expands to more than {_megabytes(limit)} when opened, far more than a CV needs",
        RejectReason.DOCX_TOO_LARGE,
    )


def _too_compressed(max_ratio: int) -> CvRejected:
    return _docx_refused(
        f"part of it is compressed more than {max_ratio} to 1, which is how 'zip bombs' are built",
        RejectReason.DOCX_RATIO,
    )


def _megabytes(size: int) -> str:
    return f"{size / MB:g} MB" if size >= MB else f"{size} bytes"


# --- storage ---------------------------------------------------------------------------
