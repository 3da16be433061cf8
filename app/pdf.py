"""HTML to PDF with WeasyPrint: only the app's static files and ``data:`` URIs are fetched.

The output depends on the HTML (and the static files it uses) alone: the document dates are
fixed, no file identifier is written (pydyf would compress every stream a second time to
hash it), and no PDF variant is used (PDF/X adds the current time and a random id).

Every printed document (role descriptions, promotion packets) shares the paper sizes, the
print stylesheet, the layout version that keys caches and ETags, and the attribution line
of the ladder text it quotes.
"""

from __future__ import annotations

import hashlib
import mimetypes
from collections.abc import Callable
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote, urlsplit

import weasyprint
from flask import Flask, Response, current_app, request
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from ladder.model import Source

#: The creation and modification date written into every PDF (W3C date format).
PDF_DATE = "2000-01-01T00:00:00Z"
PAPERS = ("a4", "letter")
PAGE_SIZES = {"a4": "A4", "letter": "Letter"}
STYLESHEET = "print.css"
ATTRIBUTION = "Adapted from the GitLab Handbook job-family pages"
DEFAULT_LICENCE = "CC BY-SA 4.0"


class UnknownPaper(ValueError):
    """The paper size is not one of :data:`PAPERS`."""


def check_paper(paper: str) -> str:
    if paper not in PAPERS:
        raise UnknownPaper(f"paper must be one of {', '.join(PAPERS)}, not {paper!r}")
    return paper


def attribution(source: Source | None) -> tuple[str, str | None]:
    """The licence line and the source URL of ladder text quoted in a document."""
    licence = (source.licence if source is not None else None) or DEFAULT_LICENCE
    return f"{ATTRIBUTION}, {licence}", source.url if source is not None else None


def render_print_html(template: str, document: object, paper: str) -> str:
    """A print template filled with ``document`` (needs an app context, not a request)."""
    return current_app.jinja_env.get_template(template).render(
        doc=document,
        page_size=PAGE_SIZES[check_paper(paper)],
        stylesheet=STYLESHEET,
    )


def layout_version(app: Flask) -> str:
    """A hash of what a PDF looks like apart from its data: the print templates, the
    stylesheet and the engine; it keys the caches and ETags of every document."""
    cached: str | None = app.extensions.get("hireladder.pdf_layout")
    if cached is not None:
        return cached
    digest = hashlib.sha256(f"weasyprint {weasyprint.__version__} {PDF_DATE}".encode())
    assert app.template_folder is not None and app.static_folder is not None
    folder = Path(app.root_path, app.template_folder, "print")
    for path in sorted(folder.glob("*.html")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    digest.update(Path(app.static_folder, STYLESHEET).read_bytes())
    version = digest.hexdigest()[:16]
    app.extensions["hireladder.pdf_layout"] = version
    return version


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
    "PAGE_SIZES",
    "PAPERS",
    "PDF_DATE",
    "STYLESHEET",
    "RefusedURL",
    "StaticFilesFetcher",
    "UnknownPaper",
    "attribution",
    "check_paper",
    "layout_version",
    "make_fetcher",
    "pdf_download",
    "render_pdf",
    "render_print_html",
    "static_base_url",
]
