"""HTML to PDF with WeasyPrint: only the app's static files and ``data:`` URIs are fetched.

The output depends on the HTML (and the static files it uses) alone: the document dates are
fixed, no file identifier is written (pydyf would compress every stream a second time to
hash it), and no PDF variant is used (PDF/X adds the current time and a random id).
"""

from __future__ import annotations

import mimetypes
from collections.abc import Callable
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote, urlsplit

from flask import Response, current_app, request
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

#: The creation and modification date written into every PDF (W3C date format).
PDF_DATE = "2000-01-01T00:00:00Z"


class RefusedURL(ValueError):
    """A document asked for a resource outside the app's static files."""


class StaticFilesFetcher(URLFetcher):
    """Serve ``data:`` URIs and files under ``static_folder``; refuse everything else.

    A ``file:`` URL is served when its path is inside the static folder, or when it
    starts with ``static_url_path`` (``/static/print.css``, as a template's
    ``url_for('static', ...)`` writes it and the base URL resolves it), mapped into the
    folder. Symbolic links and ``..`` cannot leave the folder. HTTP(S) and every other
    scheme are refused.
    """

    def __init__(self, static_folder: str | Path, static_url_path: str = "/static") -> None:
        super().__init__(allowed_protocols=("data",), allow_redirects=False)
        self.root = Path(static_folder).resolve()
        self.prefix = static_url_path.rstrip("/") + "/"

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        scheme = url.partition(":")[0].lower()
        if scheme == "data":
            response: URLFetcherResponse = super().fetch(url, headers)
            return response
        if scheme != "file":
            raise RefusedURL(f"only the app's static files may be fetched, not {url!r}")
        path = self.static_path(url)
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(path.as_uri(), path.read_bytes(), {"Content-Type": content_type})

    def static_path(self, url: str) -> Path:
        """The file under the static folder that a ``file:`` URL names; else RefusedURL."""
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost"):
            raise RefusedURL(f"not a local file: {url!r}")
        raw = unquote(parts.path)
        if raw.startswith(self.prefix) and not _inside(Path(raw), self.root):
            candidate = self.root.joinpath(*PurePosixPath(raw[len(self.prefix) :]).parts)
        else:
            candidate = Path(raw)
        resolved = candidate.resolve()
        if not _inside(resolved, self.root) or not resolved.is_file():
            raise RefusedURL(f"not one of the app's static files: {url!r}")
        return resolved


def _inside(path: Path, root: Path) -> bool:
    return path == root or path.is_relative_to(root)


def static_base_url(static_folder: str | Path | None = None) -> str:
    """The base URL that makes ``print.css`` and ``/static/print.css`` static files."""
    folder = static_folder if static_folder is not None else current_app.static_folder
    assert folder is not None
    return Path(folder).resolve().as_uri() + "/"


def make_fetcher() -> StaticFilesFetcher:
    """The fetcher for the current app's static folder."""
    folder = current_app.static_folder
    assert folder is not None
    return StaticFilesFetcher(folder, current_app.static_url_path or "/static")


def render_pdf(html: str, *, base_url: str, fetcher: StaticFilesFetcher | None = None) -> bytes:
    """The PDF of ``html``: the same HTML (and static files) always give the same bytes."""
    document = HTML(string=html, base_url=base_url, url_fetcher=fetcher or make_fetcher()).render()
    document.metadata.created = PDF_DATE
    document.metadata.modified = PDF_DATE
    pdf: bytes = document.write_pdf()
    return pdf


def pdf_download(
    etag: str, render: Callable[[], bytes], filename: str, cache_control: str
) -> Response:
    """The PDF as an attachment, or 304 when the client's copy (``If-None-Match``) is
    current; ``render`` runs only when the PDF is sent."""
    if request.if_none_match.contains_weak(etag):
        response = Response(status=304)
    else:
        response = Response(render(), mimetype="application/pdf")
        response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
        response.headers["X-Content-Type-Options"] = "nosniff"
    response.set_etag(etag)
    response.headers["Cache-Control"] = cache_control
    return response


__all__ = [
    "PDF_DATE",
    "RefusedURL",
    "StaticFilesFetcher",
    "make_fetcher",
    "pdf_download",
    "render_pdf",
    "static_base_url",
]
