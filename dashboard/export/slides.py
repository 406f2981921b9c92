"""The slide model of the meeting pack: what a slide holds (title, charts as figure models, a
table, a footnote) and where each part goes on a 16:9 slide. The PowerPoint and PDF renderers
(pptx_pack, pdf_pack) lay these out; dashboard.export.pack fills them from the database.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from dashboard.figures.model import Figure

SLIDE_WIDTH = 13.333  # inches: 16:9
SLIDE_HEIGHT = 7.5
MAX_TABLE_ROWS = 10  # rows of a table on one slide (two-line unit names) before it continues


@dataclass(frozen=True)
class Table:
    headers: list[str]
    rows: list[list[str]]
    widths: list[float]  # relative column widths
    right: frozenset[int] = frozenset()  # columns of numbers, aligned right
    colors: dict[tuple[int, int], str] = field(default_factory=dict)  # (row, column) -> text colour


@dataclass(frozen=True)
class Slide:
    title: str
    subtitle: str = ""
    charts: list[Figure] = field(default_factory=list)  # drawn as the pages draw them
    table: Table | None = None
    footnote: str = ""
    lines: list[str] = field(default_factory=list)  # body text of the title slide
    import_ids: tuple[int, ...] = ()  # the loads its figures come from


@dataclass(frozen=True)
class Pack:
    year: int
    clusters: list[str]
    slides: list[Slide]

    @property
    def file_stem(self) -> str:
        return f"bao-cao-thi-dua-{self.year}"


@dataclass(frozen=True)
class Box:
    """A rectangle on the slide, in inches from the top left corner."""

    left: float
    top: float
    width: float
    height: float


TITLE_BOX = Box(0.5, 0.3, 12.3, 0.75)
SUBTITLE_BOX = Box(0.5, 1.0, 12.3, 0.4)
FOOTNOTE_BOX = Box(0.5, 6.75, 12.3, 0.6)
CONTENT = Box(0.5, 1.5, 12.3, 5.15)
# The title slide: its title, subtitle and body lines.
COVER_BOXES = (Box(0.8, 2.0, 11.7, 1.2), Box(0.8, 3.2, 11.7, 0.6), Box(0.8, 4.2, 11.7, 2.2))


def table_rows(table: Table, box: Box) -> tuple[float, int]:
    """The row height (inches) and font size (pt) that fit ``table`` into ``box``."""
    row_h = min(0.42, box.height / (len(table.rows) + 1))
    return row_h, 12 if row_h >= 0.36 else 11 if row_h >= 0.3 else 10


def content_boxes(slide: Slide) -> tuple[list[Box], Box | None]:
    """Where the slide's charts and table go: chart left and table right, or charts in a grid."""
    c = CONTENT
    if slide.table is not None and slide.charts:
        chart_w = c.width * 0.42
        table = Box(c.left + chart_w + 0.3, c.top, c.width - chart_w - 0.3, c.height)
        return [Box(c.left, c.top, chart_w, c.height)], table
    if slide.table is not None:
        return [], c
    n = len(slide.charts)
    cols = 1 if n == 1 else 2 if n in (2, 4) else 3
    rows = -(-n // cols)
    gap = 0.25
    w = (c.width - gap * (cols - 1)) / cols
    h = (c.height - gap * (rows - 1)) / rows
    boxes = [
        Box(c.left + (i % cols) * (w + gap), c.top + (i // cols) * (h + gap), w, h)
        for i in range(n)
    ]
    return boxes, None
