"""The figure model: what a chart shows, before anything draws it.

A chart builder (dashboard/charts.py) derives a ``Figure`` from query frames; the plotly figure of
the page (also the chart download and the PDF pack) and the native PowerPoint chart of the pack
are both drawn from it, so they cannot show different values, labels, target lines or breaks.

Every text in the model is plain text as typed (a unit named ``<b>Sở A</b>`` stays so): a
renderer that interprets markup escapes it (``plotly_text``). A line break inside a text is "\\n".
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Literal

Kind = Literal["bar", "stacked_bar", "line", "column"]  # bar: horizontal, first category on top


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
    # The drawn category labels break into lines of about this many characters (0: never); the
    # categories themselves stay as typed, for a chart's own data (PowerPoint wraps its labels).
    wrap: int = 0

    @property
    def number_format(self) -> str:
        """Excel/PowerPoint format code of the values (the labels themselves are model text)."""
        return "#,##0" + ("." + "0" * self.decimals if self.decimals else "")


def plotly_text(text: str | None) -> str:
    """Plain text as plotly shows it as typed: ``<``, ``>`` and ``&`` escaped (plotly reads a
    subset of HTML in every text), line breaks as ``<br>``."""
    return html.escape(text or "", quote=False).replace("\n", "<br>")
