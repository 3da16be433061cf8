"""axe-core in the browser tests, and a crawler that runs it on every page a user reaches.

axe-core is vendored in tests/e2e/vendor/axe-core (see its README); it is evaluated in
the page from that file, never fetched. ``page.evaluate`` is not subject to the page's
Content-Security-Policy, so the app's CSP stays as it is.

The crawler only follows links (GET): the browser tests share one live server per
worker, so it must change nothing.
"""

from __future__ import annotations

import time
from collections import deque
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from werkzeug.exceptions import HTTPException
from werkzeug.routing import Map, RequestRedirect

AXE_JS = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"

# WCAG 2.0 and 2.1, levels A and AA.
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = {"serious", "critical"}

# Links the crawler never follows: downloads (a browser navigation to them starts a
# download, not a page) and anything outside the HTML pages.
DOWNLOAD_SUFFIXES = (".pdf", ".csv", ".svg", ".ics", ".zip", ".json", ".png", ".txt")
SKIPPED_PREFIXES = ("/static/", "/api/")

_RUN = """async (tags) => {
  const results = await axe.run(document, {
    runOnly: {type: 'tag', values: tags},
    resultTypes: ['violations'],
    iframes: false,
  });
  return results.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    targets: v.nodes.map(n => n.target.join(' ')),
  }));
}"""


# Every link's address, absolute; an SVG link's ``href`` is not a string.
_HREFS = "links => links.map(a => new URL(a.getAttribute('href'), document.baseURI).href)"


@cache
def _axe_source() -> str:
    return AXE_JS.read_text(encoding="utf-8")


def violations(page: Any) -> list[dict[str, Any]]:
    """axe-core's serious and critical violations on the page as it is now."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        # An expression, not a function: evaluated as a script, it defines window.axe.
        page.evaluate(_axe_source() + "\n;undefined")
    found = page.evaluate(_RUN, TAGS)
    return [v for v in found if v["impact"] in BLOCKING]


def describe(where: str, found: list[dict[str, Any]]) -> list[str]:
    return [
        f"{where}: {v['id']} ({v['impact']}): {v['help']} at {', '.join(v['targets'][:5])}"
        + (f" and {len(v['targets']) - 5} more" if len(v["targets"]) > 5 else "")
        for v in found
    ]


def assert_accessible(page: Any) -> None:
    """No serious or critical axe-core violation on the page as it is now."""
    lines = describe(page.url, violations(page))
    assert not lines, "\n".join(lines)


@dataclass
class Crawl:
    """What one crawl saw: the endpoint of each page visited, problems found on them."""

    visited: dict[str, list[str]] = field(default_factory=dict)  # endpoint -> paths
    reached: set[str] = field(default_factory=set)  # endpoints of the pages shown
    problems: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=lambda: {"load": 0.0, "axe": 0.0})

    def report(self) -> str:
        return "\n".join(self.problems)


def crawl(
    page: Any,
    base: str,
    url_map: Map,
    *,
    start: tuple[str, ...] = ("/",),
    skip_endpoints: frozenset[str] = frozenset(),
    per_endpoint: int = 2,
    check: bool | frozenset[str] = True,
    statuses: dict[str, int] | None = None,
) -> Crawl:
    """Breadth-first from ``start`` along same-origin links, visiting each endpoint of
    ``url_map`` at most ``per_endpoint`` times (so six hundred applications are two
    visits, not six hundred), running axe-core on each page when ``check`` (or, when it
    is a set of endpoints, on their pages only). A status of 400 or more is a problem
    unless ``statuses`` expects it for that path."""
    expected = statuses or {}
    adapter = url_map.bind(urlsplit(base).netloc)
    origin = urlsplit(base).netloc
    result = Crawl()
    seen: set[str] = set()
    queue: deque[str] = deque()

    def offer(url: str) -> None:
        parts = urlsplit(url)
        if parts.netloc != origin:
            return
        path = parts.path
        target = path + (f"?{parts.query}" if parts.query else "")
        if target in seen:
            return
        seen.add(target)
        if path.startswith(SKIPPED_PREFIXES) or path.endswith(DOWNLOAD_SUFFIXES):
            return
        endpoint = _endpoint(adapter, path)
        if endpoint is None or endpoint in skip_endpoints:
            return
        if len(result.visited.get(endpoint, [])) >= per_endpoint:
            return
        result.visited.setdefault(endpoint, []).append(target)
        queue.append(target)

    for path in start:
        offer(base + path)
    while queue:
        target = queue.popleft()
        began = time.perf_counter()
        response = page.goto(base + target)
        result.seconds["load"] += time.perf_counter() - began
        status = response.status if response is not None else 0
        if status != expected.get(target, status if status < 400 else 200):
            result.problems.append(f"{target}: status {status}")
            continue
        landed = urlsplit(page.url)
        shown = _endpoint(adapter, landed.path)
        if shown is not None:
            result.reached.add(shown)
        where = target if landed.path == urlsplit(target).path else f"{target} -> {landed.path}"
        if check is True or (check and shown in check):
            began = time.perf_counter()
            result.problems.extend(describe(where, violations(page)))
            result.seconds["axe"] += time.perf_counter() - began
        for href in page.eval_on_selector_all("a[href]", _HREFS):
            offer(href.split("#", 1)[0])
    return result


def _endpoint(adapter: Any, path: str) -> str | None:
    try:
        endpoint, _args = adapter.match(path, method="GET")
    except RequestRedirect:
        return None
    except HTTPException:
        return None
    return str(endpoint)
