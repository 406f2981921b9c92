"""The figure model: what a chart shows, before anything draws it.

A chart builder (dashboard/figures/<subject>.py) derives a ``Figure`` from query frames; the plotly
figure of the page (also the chart download and the PDF pack) and the native PowerPoint chart of the pack
are both drawn from it, so they cannot show different values, labels, target lines or breaks.

Every text in the model is plain text as typed (a unit named ``<b>Sở A</b>`` stays so): a
renderer that interprets markup escapes it (dashboard/figures/plotly.py). A line break inside a
text is "\\n".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

# bar: horizontal, first category on top; grouped_bar: one bar per series side by side;
# column: vertical; stacked_column: vertical, series stacked; line: a line per series;
# ranks: a line per series on a rank axis (1 on top); dumbbell: the first two series' points
# joined at each category by ``links``; heatmap: one row per series, one cell per category;
# histogram: counts per bin (the categories' ``x`` are the bins' middles, ``bin`` wide);
# scatter: each series' points at (``xs``, values); timeline: ``spans`` of dates, one row each.
Kind = Literal[
    "bar",
    "grouped_bar",
    "stacked_bar",
    "line",
    "column",
    "stacked_column",
    "ranks",
    "dumbbell",
    "heatmap",
    "histogram",
    "scatter",
    "timeline",
]


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[float | None, ...]  # one per category; None leaves a gap (never joined over)
    labels: tuple[str, ...]  # the text written at each point, decimals already chosen
    color: str
    point_colors: tuple[str, ...] | None = None  # e.g. the status of each year, the leading unit
    hollow: tuple[bool, ...] | None = None  # estimates and plans: open markers, hatched bars
    marked: tuple[bool, ...] | None = None  # points that carry a marker (None: all of them)
    hover: tuple[str, ...] | None = None  # what a reader sees on hover (pages only)
    dash: bool = False
    legend: bool = True  # False: a continuation of a series already in the legend
    xs: tuple[float, ...] | None = None  # scatter: where each point is across
    symbol: str = "circle"  # the marker of the points (dumbbell)
    muted: bool = False  # drawn thin and grey-weighted, behind the others (ranks)
    group: str = ""  # series drawn as one in the legend (segments of one unit, target bars)
    faded: bool = False  # a pale, outlined bar (a target beside the figures)


@dataclass(frozen=True)
class Target:
    """The target band of an indicator: shaded on a page, dashed lines on a slide.

    ``low`` or ``high`` is None for a target open on that side (at least / at most).
    """

    low: float | None
    high: float | None
    label: str
    top: float  # where an open-ended band is drawn up to

    LOW_COLOR = "#2E7D32"
    HIGH_COLOR = "#1565C0"

    def lines(self) -> list[tuple[str, float, str]]:
        """(name, value, colour) of each dashed target line."""
        if self.low is not None and self.high is not None and self.low != self.high:
            return [
                ("Mục tiêu (cận dưới)", self.low, self.LOW_COLOR),
                ("Mục tiêu (cận trên)", self.high, self.HIGH_COLOR),
            ]
        value = self.low if self.low is not None else self.high
        if value is None:
            return []
        name = "Mục tiêu (tối thiểu)" if self.high is None else "Mục tiêu (tối đa)"
        if self.low is not None and self.high is not None:
            name = "Mục tiêu"
        return [(name, value, self.LOW_COLOR)]


@dataclass(frozen=True)
class Break:
    """A place where series are not joined: the 1 July 2025 merger or a change of basis."""

    before: int  # index of the first category after the break
    label: str
    kind: Literal["merger", "basis"]


@dataclass(frozen=True)
class Mark:
    """A reference line across the plot at ``at`` on the value axis (the 100% of plan), or, on a
    timeline, at a date (a deadline, today)."""

    at: float | str
    label: str
    color: str = "#333"
    dash: Literal["dot", "solid"] = "dot"
    width: float = 2
    high: bool = True  # the label above the plot (else just inside its top)
    anchor: Literal["left", "center", "right"] = "center"  # the label's side of the line


@dataclass(frozen=True)
class Link:
    """Where a dumbbell joins its two points, in one colour (e.g. self-score above the cluster's)."""

    name: str
    color: str
    at: tuple[int, ...]  # category indexes


@dataclass(frozen=True)
class Span:
    """A bar of a timeline: from ``start`` to ``end`` (ISO dates, both included) on row ``row``."""

    row: int
    start: str
    end: str
    label: str
    hover: str
    color: str


@dataclass(frozen=True)
class Key:
    """A legend entry of its own (a page explains marks and colours once, whatever the data)."""

    name: str
    color: str
    hollow: bool = False
    dash: bool = False


@dataclass(frozen=True)
class Figure:
    kind: Kind
    title: str
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    decimals: int
    subtitle: str = ""
    x: tuple[float, ...] | None = None  # numeric positions of the categories (years), if any
    target: Target | None = None
    breaks: tuple[Break, ...] = ()
    value_title: str = ""
    footnotes: tuple[str, ...] = ()  # the sources the figures were published in
    message: str = ""  # shown instead of a plot when there is nothing to draw
    height: int = 400
    wide: bool = False
    keys: tuple[Key, ...] = ()  # when given, the page's legend shows these instead of the series
    legend: bool = True  # False: no legend (the subtitle says what the colours mean)
    labels_inside: bool = False  # bar labels in the bar, white, from its start
    label_colors: bool = False  # labels outside a bar in the colour of its series
    value_range: tuple[float | str, float | str] | None = None  # else from the values
    value_suffix: str = ""  # after each tick of the value axis ("%")
    other_title: str = ""  # the title of the other axis (scatter: across; histogram: counts)
    marks: tuple[Mark, ...] = ()
    links: tuple[Link, ...] = ()
    spans: tuple[Span, ...] = ()
    log: bool = False  # both axes on a log scale, ticks at the powers of ten (scatter)
    bin: float = 0  # histogram: the width of a bin
    count_of: str = ""  # histogram: what is counted ("chỉ tiêu"), for the hover
    bar_gap: float = 0.25  # between the bars of neighbouring categories
    # The drawn category labels break into lines of about this many characters (0: never); the
    # categories themselves stay as typed, for a chart's own data (PowerPoint wraps its labels).
    wrap: int = 0

    @property
    def number_format(self) -> str:
        """Excel/PowerPoint format code of the values (the labels themselves are model text)."""
        return "#,##0" + ("." + "0" * self.decimals if self.decimals else "")
