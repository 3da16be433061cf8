"""Career paths: the ladder picture, level pages, comparisons, "My path" and search."""

from __future__ import annotations

import itertools
import re
import xml.etree.ElementTree as ET
from datetime import date
from html import unescape
from html.parser import HTMLParser

import pytest
from markupsafe import escape

from app.careers.svg import family_svg, layout_family
from app.careers.words import highlight
from app.db import db
from app.models import User
from ladder import search
from ladder.loader import load_ladder
from ladder.model import KINDS
from tests.conftest import login_as

SVG = "{http://www.w3.org/2000/svg}"


def parse_svg(markup: str) -> ET.Element:
    return ET.fromstring(markup)  # noqa: S314 - markup the app itself generates


@pytest.fixture(scope="module")
def ladder():
    result = load_ladder()
    assert result.ok
    return result.ladder


@pytest.fixture
def member_client(app, client, users):
    login_as(app, client, users["team_member"])
    return client


def set_level(app, user_id, level_id, specialty_id=None, manager_id=None, since=None):
    with app.app_context():
        user = db.session.get(User, user_id)
        user.level_id = level_id
        user.specialty_id = specialty_id
        user.manager_id = manager_id
        user.level_since = since
        db.session.commit()


class ItemParser(HTMLParser):
    """The items of the resolved lists: text, classes, origin and the origin tag's words."""

    def __init__(self) -> None:
        super().__init__()
        self.items: list[dict[str, str]] = []
        self._current: dict[str, str] | None = None
        self._field: str | None = None
        self._depth = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        classes = (a.get("class") or "").split()
        if tag == "li" and "item" in classes and self._current is None:
            self._current = {"class": a["class"], "origin": a.get("data-origin", ""), "text": ""}
            self._current["tag"] = ""
            self._depth = 0
        elif self._current is not None:
            if tag == "li":
                self._depth += 1
            if "item-text" in classes:
                self._field = "text"
            elif "tag" in classes:
                self._field = "tag"
                self._current["tag_href"] = a.get("href", "")

    def handle_endtag(self, tag):
        if self._current is None:
            return
        if tag in ("span", "a"):
            self._field = None
        elif tag == "li":
            if self._depth:
                self._depth -= 1
            else:
                self.items.append(self._current)
                self._current = None

    def handle_data(self, data):
        if self._current is not None and self._field:
            self._current[self._field] += data


def items_of(html: str) -> list[dict[str, str]]:
    parser = ItemParser()
    parser.feed(html)
    return parser.items


def section(html: str, heading_id: str) -> str:
    start = html.index(f'id="{heading_id}"')
    end = html.find("</section>", start)
    return html[start:end]


# --- the picture ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "family_id",
    ["customer-success-management", "customer-success-leadership", "customer-success-architect"],
)
def test_svg_is_well_formed_and_links_every_level_of_the_family(ladder, family_id):
    markup = family_svg(ladder, family_id)
    root = parse_svg(markup)
    assert root.tag == f"{SVG}svg"
    hrefs = {a.get("href") for a in root.iter(f"{SVG}a")}
    for level in ladder.family(family_id).levels:
        assert f"/careers/levels/{level.id}" in hrefs, level.id
        box = next(a for a in root.iter(f"{SVG}a") if a.get("data-level") == level.id)
        texts = " ".join("".join(t.itertext()) for t in box.iter(f"{SVG}text"))
        assert " ".join(level.name.split()[:1]) in texts
        grade = f"Grade {level.grade}" if level.grade is not None else "No grade"
        assert grade in texts


@pytest.mark.parametrize(
    "family_id",
    ["customer-success-management", "customer-success-leadership", "customer-success-architect"],
)
def test_every_link_of_the_picture_is_in_reach_of_the_keyboard_and_named(ladder, family_id):
    root = parse_svg(family_svg(ladder, family_id))
    # A picture (role img) would hide its links from screen readers.
    assert root.get("role") == "group"
    links = list(root.iter(f"{SVG}a"))
    assert links
    for link in links:
        assert link.get("tabindex") is None, link.get("href")
    for level in ladder.family(family_id).levels:
        box = next(a for a in links if a.get("data-level") == level.id)
        shown = ["".join(t.itertext()) for t in box.iter(f"{SVG}tspan")]
        # The shown text read in order, as assistive technology reads it: the lines are
        # words apart, not run on.
        title = box.find(f"{SVG}title").text
        read = " ".join("".join(box.itertext()).replace(title, "", 1).split())
        grade = f"Grade {level.grade}" if level.grade is not None else "No grade"
        assert read == f"{' '.join(shown)} {grade}"
        grade = f"Grade {level.grade}" if level.grade is not None else "No grade"
        # The words shown, then the grade shown below them: the link's name.
        assert box.get("aria-label") == f"{' '.join(shown)}, {grade}"
        assert level.name.split()[0] in box.get("aria-label")
        assert box.find(f"{SVG}title").text.startswith(level.title)


def test_the_readers_own_level_is_named_as_theirs_in_the_picture(ladder):
    root = parse_svg(family_svg(ladder, "customer-success-leadership", highlight="manager-csm"))
    box = next(a for a in root.iter(f"{SVG}a") if a.get("data-level") == "manager-csm")
    # The name holds every word shown, "you" included, in the order shown.
    assert box.get("aria-label") == "Manager, CSM, Customer Success Management, you"


def test_svg_is_deterministic(ladder):
    first = family_svg(ladder, "customer-success-management")
    assert first == family_svg(ladder, "customer-success-management")
    assert first == family_svg(load_ladder().ladder, "customer-success-management")


def test_svg_is_labelled_for_assistive_technology(ladder):
    root = parse_svg(family_svg(ladder, "customer-success-management"))
    assert root.get("role") == "group"
    ids = [root.get("aria-labelledby"), root.get("aria-describedby")]
    assert [child.tag for child in root[:2]] == [f"{SVG}title", f"{SVG}desc"]
    assert [child.get("id") for child in root[:2]] == ids
    assert root[0].text == "Career ladder: Customer Success Management"
    assert "Staff CSM (grade 9)" in root[1].text


def test_svg_draws_extends_reports_to_other_families_and_moves(ladder):
    layout = layout_family(ladder, "customer-success-management")
    edges = {(e.kind, e.source, e.target) for e in layout.edges}
    assert ("extends", "associate-csm", "csm") in edges
    assert ("extends", "cse", "senior-cse") in edges
    assert ("reports_to", "csm", "manager-csm") in edges
    assert ("reports_to", "director-csm", "vp-cs") in edges
    # Director of Customer Success (another family) builds on Senior Manager, CSM.
    assert ("extends", "senior-manager-csm", "director-cs") in edges
    assert {lv.id for lv in layout.external_levels} == {"director-cs", "vp-cs"}
    # The CSE ladder is a column of its own beside the CSM ladder.
    columns = [[lv.id for lv in c.levels] for c in layout.ladders]
    assert ["associate-csm", "csm", "senior-csm", "staff-csm"] in columns
    assert ["cse", "senior-cse", "staff-cse"] in columns
    root = parse_svg(family_svg(ladder, "customer-success-management"))
    dashed = [g for g in root.iter(f"{SVG}g") if "ladder-reports-to" in (g.get("class") or "")]
    assert dashed and dashed[0].get("stroke-dasharray")
    solid = [g for g in root.iter(f"{SVG}g") if "ladder-extends" in (g.get("class") or "")]
    assert solid and solid[0].get("stroke-dasharray") is None
    moves = "".join(
        next(g for g in root.iter(f"{SVG}g") if g.get("class") == "ladder-moves").itertext()
    )
    assert "a senior leadership job family" in moves


@pytest.mark.parametrize("family_id", [f.id for f in load_ladder().ladder.families])
def test_svg_boxes_never_overlap_and_fit_the_picture(ladder, family_id):
    layout = layout_family(ladder, family_id)
    boxes = list(layout.boxes.values())
    for i, a in enumerate(boxes):
        assert a.x >= 0 and a.x + a.width <= layout.width
        assert a.y >= 0 and a.y + a.height <= layout.height
        for b in boxes[i + 1 :]:
            apart = (
                a.x + a.width <= b.x
                or b.x + b.width <= a.x
                or a.y + a.height <= b.y
                or b.y + b.height <= a.y
            )
            assert apart, (a.level.id, b.level.id)
    # Higher grades are drawn higher up.
    graded = sorted((b for b in boxes if b.level.grade is not None), key=lambda b: b.level.grade)
    for low, high in itertools.pairwise(graded):
        if low.level.grade < high.level.grade:
            assert high.y < low.y


def test_svg_escapes_text(ladder):
    markup = family_svg(ladder, "customer-success-management", level_href=lambda i: f"/x?a=1&b={i}")
    root = parse_svg(markup)
    assert any(a.get("href") == "/x?a=1&b=csm" for a in root.iter(f"{SVG}a"))


# --- pages ------------------------------------------------------------------------------


def test_index_lists_every_family(member_client, ladder):
    page = member_client.get("/careers/")
    assert page.status_code == 200
    for family in ladder.families:
        assert f'href="/careers/{family.id}"' in page.text
        assert family.title in page.text
    assert "5\u201312" in page.text  # the CSM family's grades


def test_family_page_has_picture_words_specialties_hiring_and_competencies(member_client):
    page = member_client.get("/careers/customer-success-management")
    assert page.status_code == 200
    html = page.text
    assert 'class="ladder-svg"' in html
    words = section(html, "ladder-heading")
    assert "Individual contributor track" in words
    assert "Manager track" in words
    assert "Associate Customer Success Manager (CSM)</a>, grade 5." in words
    assert "Staff Customer Success Engineer</a>, grade 9." in words
    assert "Reports to" in words
    assert "Builds on" in words
    specialties = section(html, "specialties-heading")
    for title in ("Strategic", "Growth", "Scale", "Customer Programs", "Public Sector"):
        assert title in specialties
    hiring = section(html, "hiring-heading")
    assert "Executive Interview" in hiring
    assert "60 min" in hiring
    assert "the hiring manager and two other team members".capitalize() in hiring
    pillars = section(html, "competencies-heading")
    for name in ("Communication", "Follow-through", "Proactivity", "Perceptiveness"):
        assert name in pillars
    assert pillars.count("<dt>") == 7


def test_level_page_marks_where_each_item_comes_from(member_client):
    page = member_client.get("/careers/levels/staff-csm")
    assert page.status_code == 200
    items = items_of(page.text)
    onboarding = next(i for i in items if i["text"] == "Provide immediate onboarding activities")
    assert onboarding["origin"] == "associate-csm"
    assert "inherited" in onboarding["class"]
    assert onboarding["tag"] == "from Associate CSM"
    assert onboarding["tag_href"] == "/careers/levels/associate-csm"
    own = next(i for i in items if i["text"] == "Proven ability to manage a global account")
    assert "own" in own["class"].split()
    assert own["tag"] == "this level"
    family_item = next(
        i for i in items if i["text"] == "Understanding of Git and typical branching strategies"
    )
    assert family_item["tag"] == "from the Customer Success Management family"
    html = page.text
    assert "Market justification" in html
    assert 'href="/careers/levels/manager-csm"' in html  # reports to
    assert "Executive Interview" in html
    assert "Perceptiveness" in html
    assert 'action="/careers/compare"' in html


def test_level_page_shows_nested_items(member_client, ladder):
    nested = [
        (level.id, item)
        for level in ladder.levels_by_id.values()
        for kind in KINDS
        for item in level.own(kind)
        if item.items
    ]
    if not nested:
        pytest.skip("the ladder data has no nested items")
    level_id, item = nested[0]
    html = member_client.get(f"/careers/levels/{level_id}").text
    assert f"<ul><li>{escape(item.items[0])}</li>" in html


def test_specialty_variant_adds_the_specialty_items(member_client):
    base = member_client.get("/careers/levels/csm").text
    variant = member_client.get("/careers/levels/csm?specialty=public-sector")
    assert variant.status_code == 200
    assert "Work exclusively with Public Sector customers" not in base
    items = items_of(variant.text)
    added = [i for i in items if i["origin"] == "public-sector"]
    assert {i["text"] for i in added} == {
        "Work exclusively with Public Sector customers",
        "TS/SCI Security Clearance if applicable",
        "Knowledge of and demonstrated progressive experience with Public Sector customers",
        "Ability to travel if needed and comply with the company\u2019s travel policy. Federal, "
        "LLC team members need to also comply with the applicable vaccination policies.",
    }
    assert all("specialty" in i["class"] for i in added)
    assert len(items) == len(items_of(base)) + len(added)
    # The variants are links on the page.
    assert 'href="/careers/levels/csm?specialty=strategic"' in base
    assert 'aria-current="page">Public Sector Customer Success Manager</a>' in variant.text


def test_pdf_link_when_the_endpoint_exists(app, member_client):
    html = member_client.get("/careers/levels/csm?specialty=public-sector").text
    if "api.level_description_pdf" in app.view_functions:
        assert "Download PDF" in html
        assert "paper=a4" in html
    else:
        assert "Download PDF" not in html


@pytest.mark.parametrize(
    "url",
    [
        "/careers/no-such-family",
        "/careers/levels/no-such-level",
        "/careers/levels/csm?specialty=no-such-specialty",
        "/careers/compare?from=csm&to=no-such-level",
    ],
)
def test_unknown_ids_are_404(member_client, url):
    assert member_client.get(url).status_code == 404


def added_texts(html: str, kind: str) -> list[str]:
    part = section(html, f"diff-{kind}")
    block = re.search(
        r'<ul class="ladder-items diff-added-list">(.*?)</ul>\s*(?:<h4|<details|$)', part, re.S
    )
    if block is None:
        return []
    return [
        unescape(t) for t in re.findall(r'<span class="item-text">(.*?)</span>', block.group(1))
    ]


def test_compare_lists_exactly_the_target_levels_own_additions(member_client, ladder):
    page = member_client.get("/careers/compare?from=csm&to=senior-csm")
    assert page.status_code == 200
    senior = ladder.level("senior-csm")
    for kind in KINDS:
        assert added_texts(page.text, kind) == [item.text for item in senior.own(kind)], kind
    assert "Not asked at" not in page.text
    assert "<details>" in page.text and "Kept from CSM (Intermediate)" in page.text
    assert "Senior CSM builds on CSM (Intermediate)" in page.text


def test_compare_works_between_unrelated_levels_and_both_ways(member_client):
    page = member_client.get("/careers/compare?from=manager-csm&to=staff-csm")
    assert page.status_code == 200
    assert "Neither level builds on the other" in page.text
    assert "New at Staff CSM" in page.text and "Not asked at Staff CSM" in page.text
    down = member_client.get("/careers/compare?from=senior-csm&to=csm")
    assert "Not asked at CSM (Intermediate)" in down.text
    assert "New at CSM (Intermediate)" not in down.text


def test_compare_with_specialties_and_errors(member_client):
    page = member_client.get("/careers/compare?from=csm&to=csm&to_specialty=public-sector")
    assert page.status_code == 200
    assert added_texts(page.text, "responsibilities") == [
        "Work exclusively with Public Sector customers"
    ]
    bad = member_client.get("/careers/compare?from=csm&to=senior-csm&to_specialty=nope")
    assert bad.status_code == 400
    assert "does not exist for Senior CSM" in bad.text
    half = member_client.get("/careers/compare?from=csm")
    assert half.status_code == 200
    assert "Choose both levels" in half.text
    empty = member_client.get("/careers/compare")
    assert empty.status_code == 200
    assert 'name="from"' in empty.text and 'name="to"' in empty.text


def test_my_path_shows_next_level_and_what_it_adds(app, client, users, ladder):
    set_level(app, users["hiring_manager"], "manager-csm")
    set_level(
        app,
        users["team_member"],
        "csm",
        manager_id=users["hiring_manager"],
        since=date(2025, 2, 1),
    )
    login_as(app, client, users["team_member"])
    page = client.get("/careers/me")
    assert page.status_code == 200
    html = page.text
    assert "Where you are" in html
    assert "1 February 2025" in html
    assert "Hiring_Manager" in html  # the manager's display name
    nxt = section(html, "next-heading")
    assert 'id="next-senior-csm"' in nxt
    for item in ladder.level("senior-csm").own("responsibilities"):
        assert unescape(item.text) in unescape(nxt)
    assert "Provide immediate onboarding activities" not in nxt  # already asked at CSM
    assert 'href="/careers/levels/manager-csm"' in section(html, "now-heading")
    assert "Customer Success Leadership" in section(html, "moves-heading")


def test_my_path_with_a_specialty_compares_like_with_like(app, client, users):
    set_level(app, users["team_member"], "csm", specialty_id="public-sector")
    login_as(app, client, users["team_member"])
    html = client.get("/careers/me").text
    assert "Public Sector Customer Success Manager" in html
    # The specialty's items are there at both levels: they are not "new".
    assert "Work exclusively with Public Sector customers" not in section(html, "next-heading")


def test_my_path_empty_state(member_client):
    page = member_client.get("/careers/me")
    assert page.status_code == 200
    assert "has not been set yet" in page.text
    assert "An admin sets it" in page.text


def test_my_path_with_a_level_no_longer_in_the_ladder(app, client, users):
    set_level(app, users["team_member"], "retired-level")
    login_as(app, client, users["team_member"])
    page = client.get("/careers/me")
    assert page.status_code == 200
    assert "no longer part of the career ladder" in page.text


def test_my_path_at_the_top_of_a_track(app, client, users):
    set_level(app, users["team_member"], "staff-csm")
    login_as(app, client, users["team_member"])
    assert "Staff CSM is the top of its track." in client.get("/careers/me").text


def search_groups(html: str) -> dict[str, str]:
    """Each result group's HTML, by the href of its heading link."""
    groups = {}
    for part in html.split('<article class="search-group">')[1:]:
        href = re.search(r'<a href="([^"]+)"', part).group(1)
        groups[href] = part[: part.index("</article>")]
    return groups


def test_search_finds_onboarding_once_at_its_origin(member_client, ladder):
    page = member_client.get("/careers/search?q=onboarding")
    assert page.status_code == 200
    hit = "Provide immediate <mark>onboarding</mark> activities"
    groups = search_groups(page.text)
    assert hit in groups["/careers/levels/associate-csm"]
    # Levels that inherit the item do not list it again.
    for level_id in ("csm", "senior-csm", "staff-csm"):
        assert hit not in groups.get(f"/careers/levels/{level_id}", "")
    owners = [
        level.id
        for level in ladder.levels_by_id.values()
        if any(i.text == "Provide immediate onboarding activities" for i in level.responsibilities)
    ]
    assert page.text.count(hit) == len(owners)


def test_search_escapes_the_query(member_client):
    page = member_client.get("/careers/search?q=<script>alert(1)</script>")
    assert page.status_code == 200
    assert "<script>alert(1)</script>" not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text


def test_search_highlight_escapes_item_text():
    marked = highlight("Use <b>Git</b> & GitLab", ("git",))
    assert str(marked) == "Use &lt;b&gt;<mark>Git</mark>&lt;/b&gt; &amp; <mark>Git</mark>Lab"


def test_search_needs_two_characters(member_client):
    page = member_client.get("/careers/search?q=a")
    assert "Type at least 2 characters" in page.text
    assert 'class="search-group"' not in page.text


def test_search_matches_titles_and_every_word(member_client):
    html = member_client.get("/careers/search?q=staff+engineer").text
    assert "<mark>Staff</mark> Customer Success <mark>Engineer</mark>" in html
    none = member_client.get("/careers/search?q=zzzz-nothing").text
    assert "Nothing in the career ladder matches" in none


def test_search_caps_results(ladder, member_client):
    result = search.search_ladder(ladder, "and", limit=5)
    assert result.total > 5
    assert result.shown == 5
    assert sum(len(g.hits) for g in result.groups) == 5
    html = member_client.get("/careers/search?q=and").text
    assert f"Showing the first {search.MAX_HITS} of" in html


def test_navigation_has_career_paths_after_home(member_client):
    html = member_client.get("/careers/").text
    nav = html[html.index('aria-label="Main"') :]
    assert nav.index(">Home<") < nav.index(">Career paths<")
    assert 'href="/careers/" aria-current="page">Career paths' in html


# --- queries ----------------------------------------------------------------------------


def add_people(app, make_user, count, prefix, manager_id=None):
    ids = [make_user(f"{prefix}{n}@example.org") for n in range(count)]
    for user_id in ids:
        set_level(app, user_id, "senior-csm", manager_id=manager_id)
    return ids


@pytest.mark.parametrize(
    "url",
    [
        "/careers/",
        "/careers/customer-success-management",
        "/careers/levels/staff-csm?specialty=public-sector",
        "/careers/compare?from=csm&to=senior-csm",
        "/careers/me",
        "/careers/search?q=customer",
    ],
)
def test_query_count_does_not_grow_with_the_people(
    app, client, users, make_user, count_queries, url
):
    set_level(app, users["hiring_manager"], "manager-csm")
    set_level(app, users["team_member"], "csm", manager_id=users["hiring_manager"])
    login_as(app, client, users["team_member"])
    add_people(app, make_user, 2, "few", manager_id=users["hiring_manager"])
    with count_queries() as small:
        assert client.get(url).status_code == 200
    add_people(app, make_user, 25, "many", manager_id=users["hiring_manager"])
    with count_queries() as large:
        assert client.get(url).status_code == 200
    assert large.count == small.count, large.statements
    # The sign-in session, the user, their roles, the demo-data check, and on My path the
    # manager's name, the packets about them and their level history: nothing else.
    assert large.count <= 6, large.statements
