"""Charts drawn on the server as SVG with matplotlib (no JavaScript in the browser).

A chart is served as an image of its own (``<img src=… alt=…>``) beside the table that
carries the same numbers, so a screen reader reads the table and the page's CSP (no inline
styles) is untouched: matplotlib's SVG styles itself inline, which an image may do.

Output is deterministic (fixed hash salt, no date in the metadata), text stays text
(``svg.fonttype = none``), and every chart has a <title> for its accessible name.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from flask import Response

#: The house palette: the first colour is the subject, the second the comparison.
COLOURS = ("#1f4e79", "#9bb7d4", "#c0504d", "#8a8a8a")

_RC: dict[str, Any] = {
    "svg.fonttype": "none",
    "svg.hashsalt": "hireladder",
    "font.family": "sans-serif",
    "font.size": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
}

#: An SVG served as an image may style itself; nothing else is allowed.
SVG_CSP = "default-src 'none'; style-src 'unsafe-inline'"


def _figure(width: float, height: float) -> Any:
    from matplotlib.figure import Figure  # imported on first use: it is large

    return Figure(figsize=(width, height), layout="constrained")


def _svg(figure: Any, title: str) -> bytes:
    import matplotlib

    out = io.StringIO()
    with matplotlib.rc_context(_RC):
        figure.savefig(out, format="svg", metadata={"Date": None, "Title": title})
    return out.getvalue().encode()


def bar_chart(
    title: str,
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    *,
    value_label: str = "",
    horizontal: bool = True,
    percent: bool = False,
    reference: Sequence[float | None] | None = None,
    reference_label: str = "planned",
) -> bytes:
    """Bars for ``labels``, one bar per series in each group (None draws nothing).

    ``reference``: a marker per label (a stage's planned duration beside its actual time).
    """
    import matplotlib

    with matplotlib.rc_context(_RC):
        count = max(1, len(labels))
        size = (7.5, 1.2 + 0.45 * count * max(1, len(series))) if horizontal else (7.5, 4.0)
        figure = _figure(*size)
        axes = figure.add_subplot()
        axes.set_title(title, loc="left", fontsize=11)
        width = 0.8 / max(1, len(series))
        positions = list(range(len(labels)))
        for index, (name, values) in enumerate(series):
            offsets = [p - 0.4 + width * (index + 0.5) for p in positions]
            heights = [0.0 if v is None else float(v) for v in values]
            draw = axes.barh if horizontal else axes.bar
            draw(offsets, heights, width, label=name, color=COLOURS[index % len(COLOURS)])
        if reference is not None:
            points = [(p, r) for p, r in zip(positions, reference, strict=True) if r is not None]
            if points:
                xs, ys = zip(*points, strict=True)
                if horizontal:
                    axes.scatter(ys, xs, marker="|", s=300, color=COLOURS[2], label=reference_label)
                else:
                    axes.scatter(xs, ys, marker="_", s=300, color=COLOURS[2], label=reference_label)
        if horizontal:
            axes.set_yticks(positions, labels)
            axes.invert_yaxis()
            axes.set_xlabel(value_label)
        else:
            axes.set_xticks(positions, labels, rotation=30, ha="right")
            axes.set_ylabel(value_label)
        if percent:
            from matplotlib.ticker import PercentFormatter

            (axes.xaxis if horizontal else axes.yaxis).set_major_formatter(PercentFormatter(1.0))
        if len(series) > 1 or reference is not None:
            axes.legend(frameon=False, loc="best")
        return _svg(figure, title)


def svg_response(svg: bytes) -> Response:
    """An SVG chart as its own response (private, like the page it belongs to)."""
    response = Response(svg, mimetype="image/svg+xml")
    response.headers["Content-Security-Policy"] = SVG_CSP
    return response


__all__ = ["COLOURS", "SVG_CSP", "bar_chart", "svg_response"]
