"""Where accepted CVs are kept: a folder outside the web root, under random names.

``CvStore`` keeps the files; the application serves them only as downloads, after
checking who is asking. :func:`check_upload` checks an uploaded file by its content
(:func:`~app.hiring.cv_content.sniff_cv`) and its name, and gives a :class:`PendingCv`
that the hiring service writes only once the candidate's row exists.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import secrets
import tempfile
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

from flask import current_app

from app.hiring.cv_content import CvKind, check_name, clean_filename, sniff_cv
from app.hiring.cv_text import cv_text
from app.services.hiring import StoredCv

_KEY_RE = re.compile(r"[A-Za-z0-9_-]{32}\.(pdf|docx|txt)")
_KIND_BY_EXTENSION = {kind.extension: kind for kind in CvKind}


class InvalidCvKey(ValueError):
    """A storage key that ``CvStore`` could not have produced."""


@dataclass(frozen=True)
class StoredFile:
    key: str
    size: int
    sha256: str
    content_type: str
    original_filename: str

    @property
    def kind(self) -> CvKind:
        return kind_of_key(self.key)


def kind_of_key(key: str) -> CvKind:
    match = _KEY_RE.fullmatch(key)
    if match is None:
        raise InvalidCvKey("Not a CV storage key.")
    return _KIND_BY_EXTENSION["." + match.group(1)]


class CvStore:
    """CV files on disk under random names: ``root/ab/cd/abcd….pdf``, mode 0600.

    ``root`` must be outside anything the web server serves; pass those directories as
    ``web_roots`` (the app's static folder) and the store refuses to live inside them.
    """

    def __init__(self, root: Path, *, web_roots: Iterable[Path] = ()) -> None:
        resolved = Path(root).resolve()
        for web_root in web_roots:
            public = Path(web_root).resolve()
            if resolved == public or public in resolved.parents:
                raise ValueError(f"CV storage {resolved} must not be inside {public}.")
        self.root = resolved

    def save(self, data: bytes, original_filename: str, kind: CvKind) -> StoredFile:
        while True:
            key = secrets.token_urlsafe(24) + kind.extension
            final = self._location(key)
            if not final.exists():
                break
        self.root.mkdir(mode=0o700, parents=True, exist_ok=True)
        final.parent.parent.mkdir(mode=0o700, exist_ok=True)
        final.parent.mkdir(mode=0o700, exist_ok=True)
        fd, temp_name = tempfile.mkstemp(dir=final.parent, prefix=".", suffix=".part")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(temp_name, 0o600)
            os.replace(temp_name, final)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temp_name)
            raise
        _fsync_directory(final.parent)
        return StoredFile(
            key=key,
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            content_type=kind.content_type,
            original_filename=clean_original_filename(original_filename),
        )

    def path(self, key: str) -> Path:
        """Where the file for ``key`` lives (it may have been deleted)."""
        kind_of_key(key)
        return self._location(key)

    def open(self, key: str) -> BinaryIO:
        """Open the file for reading; ``FileNotFoundError`` when it is gone."""
        path = self.path(key)
        flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
        fd = os.open(path, flags)
        return os.fdopen(fd, "rb")

    def delete(self, key: str) -> bool:
        """Remove the file; ``False`` when it was already gone."""
        path = self.path(key)
        try:
            path.unlink()
        except FileNotFoundError:
            return False
        return True

    def delete_if_present(self, key: str) -> None:
        """Remove the file; a file already gone (or a key that names none) is fine."""
        with contextlib.suppress(InvalidCvKey, FileNotFoundError):
            self.delete(key)

    def files(self) -> Iterator[tuple[str, datetime]]:
        """Every stored file's key and last change (UTC), and every abandoned partial
        write (a ``.part`` file, yielded by its path relative to the root)."""
        if not self.root.is_dir():
            return
        for path in sorted(self.root.rglob("*")):
            if not path.is_file() or path.is_symlink():
                continue
            changed = datetime.fromtimestamp(path.stat().st_mtime, UTC)
            if _KEY_RE.fullmatch(path.name) and path == self._location(path.name):
                yield path.name, changed
            elif path.name.startswith(".") and path.name.endswith(".part"):
                yield str(path.relative_to(self.root)), changed

    def remove_stray(self, name: str) -> None:
        """Remove a file :meth:`files` listed (a key or a partial write's relative path)."""
        if _KEY_RE.fullmatch(name):
            self.delete_if_present(name)
            return
        path = (self.root / name).resolve()
        if self.root in path.parents and path.name.endswith(".part"):
            with contextlib.suppress(FileNotFoundError):
                path.unlink()

    def _location(self, key: str) -> Path:
        return self.root / key[:2] / key[2:4] / key


def _fsync_directory(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def clean_original_filename(name: str, *, limit: int = 255) -> str:
    """The uploaded name for display only: no directories, no control or bidi characters."""
    return clean_filename(name, limit=limit)


_NAME_KEEP = frozenset("-'.")
_MAX_NAME_BYTES = 120


def download_name(candidate_name: str, kind: CvKind) -> str:
    """A filename for ``Content-Disposition`` such as ``Zoë O'Brien - CV.pdf``.

    Letters, digits and combining marks from any script are kept, as are spaces, hyphens,
    apostrophes and inner dots; everything else (separators, quotes, control and bidi
    characters) becomes a space. Werkzeug adds the ASCII fallback and ``filename*``.
    """
    text = unicodedata.normalize("NFKC", candidate_name)
    kept = "".join(
        ch if unicodedata.category(ch)[0] in "LNM" or ch in _NAME_KEEP else " " for ch in text
    )
    words = " ".join(kept.split())
    words = re.sub(r"\.{2,}", ".", words).strip(" .-'")
    encoded = words.encode("utf-8")
    if len(encoded) > _MAX_NAME_BYTES:
        words = encoded[:_MAX_NAME_BYTES].decode("utf-8", "ignore").rstrip(" .-'")
    return f"{words} - CV{kind.extension}" if words else f"CV{kind.extension}"


def configured_store() -> CvStore:
    """The CV folder of the running app (``CV_STORAGE_DIR``).

    The store refuses a folder inside the static files: CVs are never served directly.
    """
    return CvStore(
        current_app.config["CV_STORAGE_DIR"], web_roots=[Path(current_app.static_folder or "")]
    )


@dataclass(frozen=True)
class PendingCv:
    """A checked upload held in memory until the candidate's row exists
    (:class:`app.services.hiring.PendingCv`)."""

    data: bytes
    filename: str
    kind: CvKind
    store: CvStore

    #: The CV's text (:func:`app.hiring.cv_text.cv_text`), read when the upload is checked.
    text: str | None = None

    def keep(self) -> StoredCv:
        stored = self.store.save(self.data, self.filename, self.kind)
        return StoredCv(
            key=stored.key,
            kind=str(self.kind.value),
            size=stored.size,
            sha256=stored.sha256,
            text=self.text,
        )

    def discard(self, key: str) -> None:
        self.store.delete_if_present(key)


def check_upload(upload: object) -> PendingCv | None:
    """Check an uploaded CV by its content and its name; ``CvRejected`` says why not.

    Nothing is written: the hiring service keeps the file once the candidate exists. None
    when no file was uploaded.
    """
    filename = getattr(upload, "filename", None)
    if not filename:
        return None
    data = upload.read()  # type: ignore[attr-defined]
    kind = sniff_cv(data, filename)
    check_name(kind, filename)
    return PendingCv(
        data=data, filename=filename, kind=kind, store=configured_store(), text=cv_text(data, kind)
    )
