"""Role descriptions as PDF: content, determinism, the cache, the URL fetcher, the API, the CLI."""

from __future__ import annotations

import dataclasses
import io
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader
from weasyprint import HTML
from weasyprint.formatting_structure.boxes import TextBox

from app.careers import documents as role_descriptions
from app.careers.documents import (
    DescribedItem,
    describe,
    get_role_description_pdf,
    last_was_cache_hit,
    render_role_description,
    role_description_pdf,
    variants,
)
from app.db import db
from app.ladder_access import get_ladder
from app.models import User
from app.pdf import (
    PDF_DATE,
    RefusedURL,
    StaticFilesFetcher,
    make_fetcher,
    render_pdf,
    static_base_url,
)
from app.services import api_tokens
from ladder.model import KINDS
from ladder.resolve import resolve_level
from tests.conftest import login_as

URL = "/api/v1/ladder/levels/{level}/description.pdf"

A4 = (595.28, 841.89)
LETTER = (612.0, 792.0)


def words(text: str) -> str:
    return " ".join(text.split())


def pdf_text(data: bytes) -> str:
    """The text of every page; a line that ends with a hyphen (the text's own: the PDFs do
    not hyphenate) is joined to the next one."""
    pages = (page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return words(" ".join(pages).replace("-\n", "-"))


@pytest.fixture
def cache(app, tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "pdf-cache"
    monkeypatch.setitem(app.config, "PDF_CACHE_DIR", folder)
    return folder


@pytest.fixture
def renders(monkeypatch) -> list[str]:
    """Every HTML document that goes to WeasyPrint, in order."""
    calls: list[str] = []
    real = role_descriptions.render_pdf

    def counting(html: str, **kwargs):
        calls.append(html)
        return real(html, **kwargs)

    monkeypatch.setattr(role_descriptions, "render_pdf", counting)
    return calls


@pytest.fixture(scope="module")
def staff_csm_pdf(app) -> bytes:
    with app.app_context():
        return render_role_description(get_ladder(), "staff-csm", None, "a4")


# --- content ----------------------------------------------------------------------------


def test_staff_csm_has_inherited_and_own_items_and_the_grade(staff_csm_pdf):
    text = pdf_text(staff_csm_pdf)
    assert "Staff CSM" in text
    assert "Grade 9" in text
    assert "Individual contributor" in text
    assert "Reports to Manager, CSM or Senior Manager, CSM" in text
    # Inherited from the Associate CSM, under that level's title.
    assert "From Associate Customer Success Manager (CSM) Provide immediate onboarding" in text
    assert "Provide immediate onboarding activities" in text
    # Its own items, marked as specific to the role.
    assert "Specific to Staff CSM" in text
    assert "Proven ability to manage a global account" in text
    assert "3.75m ARR book of business maintained" in text
    assert "Market justification" in text
    assert "Page 1 of 4" in text


def test_every_resolved_item_and_sub_item_is_in_the_pdf(app, staff_csm_pdf):
    text = pdf_text(staff_csm_pdf)
    with app.app_context():
        resolved = resolve_level(get_ladder(), "staff-csm")
    for kind in KINDS:
        for item in resolved.of(kind):
            assert words(item.text) in text, item.text
            for sub in item.items:
                assert words(sub) in text, sub


def test_hiring_process_and_attribution(staff_csm_pdf):
    text = pdf_text(staff_csm_pdf)
    assert "Hiring process" in text
    assert "Panel Interview 60 minutes the hiring manager and two other team members" in text
    assert "Executive Interview 30 minutes the Senior Director of CSMs" in text
    assert "Adapted from the GitLab Handbook job-family pages, CC BY-SA 4.0" in text


def test_nested_items_are_kept_under_their_item(app):
    with app.app_context():
        text = pdf_text(render_role_description(get_ladder(), "vp-csm", None, "a4"))
    assert "Drive account growth goals: Expand GitLab product and license adoption" in text
    assert "Grade 12" in text
    assert "Specific to Vice President of Customer Success Management" in text


def test_specialty_variant_adds_the_specialty_items(app):
    with app.app_context():
        data = render_role_description(get_ladder(), "staff-csm", "public-sector", "a4")
    text = pdf_text(data)
    assert "Specialty: Public Sector Customer Success Manager" in text
    assert "Work exclusively with Public Sector customers" in text
    assert "TS/SCI Security Clearance if applicable" in text
    assert "Provide immediate onboarding activities" in text  # the level's items stay


def test_view_model_marks_origins(app):
    with app.app_context():
        doc = describe(get_ladder(), "staff-csm", "public-sector")
    responsibilities = doc.sections[0]
    kinds = [group.origin_kind for group in responsibilities.groups]
    assert kinds == ["family", "level", "level", "level", "own", "specialty"]
    labels = [group.label for group in responsibilities.groups]
    assert "From Associate Customer Success Manager (CSM)" in labels
    assert labels[-2:] == [
        "Specific to Staff CSM",
        "Specialty: Public Sector Customer Success Manager",
    ]
    assert doc.reports_to == ("Manager, CSM", "Senior Manager, CSM")
    assert [stage.name for stage in doc.stages][-1] == "Reference and Background Check"
    assert doc.specialty_items and all(g.origin == "public-sector" for g in doc.specialty_items)


# --- determinism and paper --------------------------------------------------------------


def test_same_input_gives_byte_identical_pdfs(app, staff_csm_pdf):
    with app.app_context():
        again = render_role_description(get_ladder(), "staff-csm", None, "a4")
    assert again == staff_csm_pdf
    info = PdfReader(io.BytesIO(again)).metadata
    assert info["/CreationDate"] == info["/ModDate"] == "D:20000101000000Z"
    assert PDF_DATE.startswith("2000-01-01")


def test_a4_and_letter_page_sizes(app, staff_csm_pdf):
    with app.app_context():
        letter = render_role_description(get_ladder(), "staff-csm", None, "letter")
    for data, (width, height) in ((staff_csm_pdf, A4), (letter, LETTER)):
        for page in PdfReader(io.BytesIO(data)).pages:
            assert float(page.mediabox.width) == pytest.approx(width, abs=0.1)
            assert float(page.mediabox.height) == pytest.approx(height, abs=0.1)


def _text_boxes(box, clipped: bool = False):
    """Every text box of a laid-out page, and whether an ``overflow: hidden`` box clips it."""
    clipped = clipped or box.style["overflow"] == "hidden"
    if isinstance(box, TextBox):
        yield box, clipped
    for child in getattr(box, "children", ()):
        yield from _text_boxes(child, clipped)


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_long_words_and_urls_stay_inside_the_page(app, paper):
    """A title, item and URLs without a break opportunity wrap (or are clipped with an
    ellipsis in the running header) instead of running off the page."""
    word = "Supercalifragilisticexpialidocious" * 8
    url = "https://handbook.gitlab.com/job-families/sales/" + "x" * 200
    with app.app_context():
        doc = describe(get_ladder(), "vp-csm", None)
        section = doc.sections[0]
        group = dataclasses.replace(
            section.groups[0],
            items=(DescribedItem(f"{word} {url}", (word, url)), *section.groups[0].items),
        )
        doc = dataclasses.replace(
            doc,
            title=f"Staff {word}",
            sections=(
                dataclasses.replace(section, groups=(group, *section.groups[1:])),
                *doc.sections[1:],
            ),
            source_url=url,
            defined_elsewhere=url,
        )
        html = role_descriptions.render_html(doc, paper)
        pages = HTML(string=html, base_url=static_base_url(), url_fetcher=make_fetcher())
        document = pages.render()
    assert len(document.pages) > 1
    for page in document.pages:
        box = page._page_box
        right = box.margin_width() - box.margin_right
        for text, clipped in _text_boxes(box):
            if not clipped:
                assert text.position_x >= 0, text.text
                assert text.position_x + text.margin_width() <= right + 0.5, text.text


# --- cache ------------------------------------------------------------------------------


def test_second_call_is_a_cache_hit_without_rendering(app, cache, renders):
    with app.app_context():
        ladder = get_ladder()
        first = role_description_pdf(ladder, "senior-csm", None, "a4")
        assert last_was_cache_hit() is False
        second = role_description_pdf(ladder, "senior-csm", None, "a4")
        assert last_was_cache_hit() is True
        other_paper = get_role_description_pdf(ladder, "senior-csm", None, "letter")
    assert first == second
    assert other_paper.cache_hit is False
    assert len(renders) == 2
    stored = sorted(path.name for path in cache.iterdir())
    assert stored == sorted(
        [f"{get_role_description_pdf_key(app, 'a4')}.pdf", f"{other_paper.etag}.pdf"]
    )


def get_role_description_pdf_key(app, paper: str) -> str:
    with app.app_context():
        return role_descriptions.cache_key(get_ladder(), "senior-csm", None, paper).digest


def test_cache_is_shared_through_the_folder_and_ignores_a_damaged_file(app, cache, renders):
    with app.app_context():
        ladder = get_ladder()
        result = get_role_description_pdf(ladder, "csm", None, "a4")
        path = cache / f"{result.etag}.pdf"
        path.write_bytes(result.data[: len(result.data) // 2])
        again = get_role_description_pdf(ladder, "csm", None, "a4")
    assert again.cache_hit is False
    assert again.data == result.data
    assert path.read_bytes() == result.data
    assert not [p for p in cache.iterdir() if p.name.startswith(".tmp")]


def test_key_changes_with_the_ladder_version(app):
    with app.app_context():
        ladder = get_ladder()
        key = role_descriptions.cache_key(ladder, "csm", None, "a4")
    other = role_descriptions.CacheKey(
        key.layout, "another-version", key.level_id, key.specialty_id, key.paper
    )
    assert other.digest != key.digest
    assert key.ladder_version == ladder.version


# --- URL fetcher ------------------------------------------------------------------------


@pytest.fixture
def fetcher(app) -> StaticFilesFetcher:
    return StaticFilesFetcher(app.static_folder, app.static_url_path)


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "file:///static/../../etc/passwd",
        "file:///static/%2e%2e/%2e%2e/etc/passwd",
        "file://example.com/static/print.css",
        "http://example.com/static/print.css",
        "https://example.com/print.css",
        "ftp://example.com/print.css",
        "file:///static/no-such-file.css",
    ],
)
def test_fetcher_refuses_anything_but_static_files(fetcher, url):
    with pytest.raises(RefusedURL):
        fetcher.fetch(url)


def test_fetcher_serves_static_files_and_data_uris(app, fetcher):
    css = Path(app.static_folder, "print.css").read_bytes()
    assert fetcher.fetch("file:///static/print.css").read() == css
    assert fetcher.fetch(static_base_url(app.static_folder) + "print.css").read() == css
    response = fetcher.fetch("file:///static/favicon.svg")
    assert response.content_type == "image/svg+xml"
    assert fetcher.fetch("data:text/plain;base64,aGVsbG8=").read() == b"hello"


def test_rendering_only_fetches_through_the_fetcher(app, fetcher, monkeypatch):
    fetched: list[str] = []
    refused: list[str] = []
    real_fetch = StaticFilesFetcher.fetch

    def spy(self, url, headers=None):
        fetched.append(url)
        try:
            return real_fetch(self, url, headers)
        except RefusedURL:
            refused.append(url)
            raise

    monkeypatch.setattr(StaticFilesFetcher, "fetch", spy)
    html = (
        '<link rel="stylesheet" href="/static/print.css">'
        '<img src="file:///etc/passwd"><img src="http://127.0.0.1:9/x.png">'
        '<img src="/static/favicon.svg"><p>Hello</p>'
    )
    with app.app_context():
        data = render_pdf(html, base_url=static_base_url())
    assert data.startswith(b"%PDF-")
    assert sorted(refused) == ["file:///etc/passwd", "http://127.0.0.1:9/x.png"]
    assert "file:///static/print.css" in fetched
    assert "file:///static/favicon.svg" in fetched


# --- the API ------------------------------------------------------------------------------


def test_download_headers_and_304(app, client, users, cache, renders):
    login_as(app, client, users["team_member"])
    url = URL.format(level="staff-csm") + "?specialty=public-sector&paper=letter"
    response = client.get(url)
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="staff-csm-public-sector-letter.pdf"'
    )
    etag = response.headers["ETag"]
    assert etag.strip('"') == get_key(app, "staff-csm", "public-sector", "letter")
    assert "Work exclusively with Public Sector customers" in pdf_text(response.data)

    again = client.get(url)
    assert again.status_code == 200
    assert again.data == response.data
    assert len(renders) == 1  # the second download came from the cache

    not_modified = client.get(url, headers={"If-None-Match": etag})
    assert not_modified.status_code == 304
    assert not_modified.data == b""
    assert not_modified.headers["ETag"] == etag
    assert len(renders) == 1
    assert client.get(url, headers={"If-None-Match": '"other"'}).status_code == 200


def get_key(app, level: str, specialty: str | None, paper: str) -> str:
    with app.app_context():
        return role_descriptions.cache_key(get_ladder(), level, specialty, paper).digest


def test_default_paper_is_a4_and_the_filename_says_so(app, client, users, cache):
    login_as(app, client, users["interviewer"])
    response = client.get(URL.format(level="director-cs"))
    assert response.status_code == 200
    assert 'filename="director-cs-a4.pdf"' in response.headers["Content-Disposition"]
    page = PdfReader(io.BytesIO(response.data)).pages[0]
    assert float(page.mediabox.width) == pytest.approx(A4[0], abs=0.1)


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ("", 404),
        ("?paper=a5", 400),
        ("?specialty=no-such-specialty", 404),
    ],
)
def test_bad_requests_answer_json(app, client, users, cache, renders, query, status):
    login_as(app, client, users["team_member"])
    level = "no-such-level" if status == 404 and not query else "staff-csm"
    response = client.get(URL.format(level=level) + query)
    assert response.status_code == status
    assert response.json["error"]["status"] == status
    assert renders == []


def test_specialty_of_another_family_is_404(app, client, users, cache):
    login_as(app, client, users["team_member"])
    # "strategic" is a specialty of Customer Success Management, not of the leadership family.
    response = client.get(URL.format(level="director-cs") + "?specialty=strategic")
    assert response.status_code == 404
    assert response.json["error"]["title"] == "Not found"


def test_anonymous_gets_401_and_a_bearer_token_works(app, client, users, cache):
    url = URL.format(level="csm")
    response = client.get(url)
    assert response.status_code == 401
    assert response.is_json
    with app.app_context():
        user = db.session.get(User, users["recruiter"])
        _token, raw = api_tokens.issue(user, actor=None)
    response = client.get(url, headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 200
    assert response.data.startswith(b"%PDF-")


# --- the CLI ------------------------------------------------------------------------------


def test_cli_writes_one_pdf_per_level_and_specialty(app, runner, tmp_path, cache):
    out = tmp_path / "staff.zip"
    result = runner.invoke(
        args=["ladder-pdf", "--level", "staff-csm", "--paper", "letter", str(out)]
    )
    assert result.exit_code == 0, result.output
    with app.app_context():
        expected = [
            role_descriptions.file_name(level, specialty, "letter")
            for level, specialty in variants(get_ladder())
            if level == "staff-csm"
        ]
    assert len(expected) == 6
    with zipfile.ZipFile(out) as archive:
        assert archive.namelist() == expected
        text = pdf_text(archive.read("staff-csm-public-sector-letter.pdf"))
        page = PdfReader(io.BytesIO(archive.read("staff-csm-letter.pdf"))).pages[0]
    assert "TS/SCI Security Clearance if applicable" in text
    assert float(page.mediabox.width) == pytest.approx(LETTER[0], abs=0.1)
    assert "Wrote 6 role descriptions (letter)" in result.output
    assert "6 rendered, 0 from the cache" in result.output

    again = runner.invoke(
        args=["ladder-pdf", "--level", "staff-csm", "--paper", "letter", str(out)]
    )
    assert "0 rendered, 6 from the cache" in again.output


def test_cli_all_covers_every_variant(app, runner, tmp_path, cache, monkeypatch):
    """The whole ladder (84 documents), with WeasyPrint replaced by a stand-in for speed."""

    def fake(html: str, **kwargs) -> bytes:
        return b"%PDF-1.7\n" + str(len(html)).encode() + b"\n%%EOF\n"

    monkeypatch.setattr(role_descriptions, "render_pdf", fake)
    out = tmp_path / "all.zip"
    result = runner.invoke(args=["ladder-pdf", "--all", str(out)])
    assert result.exit_code == 0, result.output
    with app.app_context():
        ladder = get_ladder()
        expected = [role_descriptions.file_name(lv, sp, "a4") for lv, sp in variants(ladder)]
        elsewhere = [level.id for level in ladder.levels_by_id.values() if level.defined_elsewhere]
    with zipfile.ZipFile(out) as archive:
        names = archive.namelist()
    assert names == expected
    assert len(set(names)) == len(names)
    assert "staff-csm-a4.pdf" in names and "vp-cs-public-sector-a4.pdf" in names
    assert elsewhere and not any(name.startswith(tuple(elsewhere)) for name in names)
    assert {name.removesuffix("-a4.pdf") for name in names} >= {
        level.id for level in ladder.levels_by_id.values() if not level.defined_elsewhere
    }


@pytest.mark.parametrize(
    "args",
    [
        ["ladder-pdf", "out.zip"],
        ["ladder-pdf", "--all", "--level", "csm", "out.zip"],
        ["ladder-pdf", "--level", "no-such-level", "out.zip"],
        ["ladder-pdf", "--level", "manager-success-services", "out.zip"],
        ["ladder-pdf", "--all", "--paper", "a5", "out.zip"],
    ],
)
def test_cli_usage_errors(runner, tmp_path, cache, args):
    result = runner.invoke(args=[*args[:-1], str(tmp_path / args[-1])])
    assert result.exit_code == 2, result.output
    assert not (tmp_path / "out.zip").exists()
