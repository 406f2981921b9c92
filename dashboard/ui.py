"""Small Streamlit helpers shared by the pages: cached charts, plain tables, Excel downloads."""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable, Hashable, Iterable
from typing import Any, Literal, TypeVar

import plotly.graph_objects as go
import polars as pl
import streamlit as st

from dashboard import data
from dashboard.export import render
from dashboard.figures import model as fm
from dashboard.figures import small_screens
from dashboard.figures.plotly import draw
from dashboard.format import chart_title, file_slug, md_text
from etl import db
from etl.db import asof

T = TypeVar("T")
PLOTLY_CONFIG = {"displaylogo": False}
MAX_BARS = 40  # bars (clusters or units) one chart draws; the tables beside keep every row


_FINGERPRINTS: dict[int, tuple[pl.DataFrame, str]] = {}  # id → (the frame, kept alive; key)


def fingerprint(frame: pl.DataFrame) -> str:
    """A content key of a frame: its schema and a digest of its row hashes, in order; computed
    once per frame object (query results are shared by every session, see data.query)."""
    held = _FINGERPRINTS.get(id(frame))
    if held is not None and held[0] is frame:
        return held[1]
    if len(_FINGERPRINTS) > 2000:  # frames derived in a page are new at every run
        _FINGERPRINTS.clear()
    key = _content_key(frame)
    _FINGERPRINTS[id(frame)] = (frame, key)
    return key


def _content_key(frame: pl.DataFrame) -> str:
    digest = hashlib.blake2b(repr(list(frame.schema.items())).encode(), digest_size=16)
    if frame.height:
        digest.update(frame.hash_rows(seed=7).to_numpy().tobytes())
    return f"{frame.shape}|{digest.hexdigest()}"


@st.cache_resource(max_entries=1000, show_spinner=False)
def _shared(name: str, key: str, _build: Callable[[], Any]) -> Any:
    # Built once per content and shared by every session: building a plotly figure or a formatted
    # table costs milliseconds each, and the results are only read afterwards (st.plotly_chart
    # copies a figure, st.dataframe serialises a frame).
    return _build()


def derived(fn: Callable[..., T], frame: pl.DataFrame, *args: Hashable) -> T:
    """``fn(frame, *args)`` (a pure function), computed once per content of ``frame`` and
    ``args`` and shared by every session."""
    name = f"{fn.__code__.co_filename}:{fn.__qualname__}"  # pages all run as __main__
    return _shared(name, f"{fingerprint(frame)}|{args!r}", lambda: fn(frame, *args))


def figure(builder: Callable[..., fm.Figure], frame: pl.DataFrame, *args: Hashable) -> go.Figure:
    """The figure model ``builder(frame, *args)`` drawn and fitted to small screens, cached like
    :func:`derived`."""
    return derived(_fitted, frame, builder, *args)


def _fitted(frame: pl.DataFrame, builder: Callable[..., fm.Figure], *args: Hashable) -> go.Figure:
    return small_screens.fit(draw(builder(frame, *args)))


def chart(
    builder: Callable[..., fm.Figure],
    frame: pl.DataFrame,
    *args: Hashable,
    key: str,
    note: str | None = None,
    **kwargs: Any,
) -> None:
    """Draw the figure model ``builder(frame, *args)`` across the container, with an optional
    footnote under it."""
    fig = figure(builder, frame, *args)
    st.plotly_chart(fig, width="stretch", key=key, config=PLOTLY_CONFIG, **kwargs)
    if note:
        st.caption(note)
    chart_downloads(fig, key=key)


def chart_downloads(fig: go.Figure, *, key: str) -> None:
    """PNG, SVG and PDF of the chart, drawn by the server only when a button is pressed."""
    name = file_slug(chart_title(fig)) or key
    with st.popover("Tải biểu đồ", icon=":material/download:"):
        formats: tuple[tuple[render.Format, str], ...] = (
            ("png", "Ảnh PNG (nét cao)"),
            ("svg", "SVG"),
            ("pdf", "PDF"),
        )
        for fmt, label in formats:
            st.download_button(
                label,
                data=functools.partial(render.render, fig, fmt),
                file_name=f"{name}.{fmt}",
                mime=render.MIME[fmt],
                on_click="ignore",
                key=f"{key}_{fmt}",
                width="stretch",
            )


def table(
    frame: pl.DataFrame,
    *,
    right: Iterable[str] = (),
    height: int | Literal["auto", "stretch", "content"] = "auto",
    key: str | None = None,
) -> None:
    """A read-only table; ``right`` names the (already formatted) number columns."""
    config = {
        c: st.column_config.TextColumn(c, alignment="right") for c in right if c in frame.columns
    }
    st.dataframe(
        frame, hide_index=True, width="stretch", column_config=config, height=height, key=key
    )


def text_table(frame: pl.DataFrame | Any, *, style: Callable[[Any], Any] | None = None) -> None:
    """A table whose long texts (messages, target names) wrap and are read whole, without
    hovering: st.table, whose cells read Markdown, so every text cell is escaped (md_text).
    ``style`` may colour the rows (it gets a pandas Styler)."""
    shown = frame.to_pandas() if isinstance(frame, pl.DataFrame) else frame.copy()
    for col in shown.columns:  # text may come as object or as Arrow strings: every str cell
        shown[col] = shown[col].map(lambda v: md_text(v) if isinstance(v, str) else v)
    st.table(style(shown.style) if style else shown, hide_index=True, border="horizontal")


def excel_download(
    view: str, *, key: str, label: str = "Tải Excel (.xlsx)", **filters: Any
) -> None:
    """A button that downloads the rows of ``view`` behind a table, with the page's filters.

    The workbook is built only when the button is clicked, on a thread of its own (Streamlit runs
    a callable ``data`` outside the script run): it reads through a cursor of its own.
    """
    # openpyxl is imported with the first Excel button, after the chart above it is sent.
    from dashboard.export import tables, xlsx

    path = data.db_path()
    when = data.moment()  # built on another thread, which cannot read the page's address

    def build() -> bytes:
        cur = asof.connect(when) if when else db.read_cursor(path)
        try:
            frame = tables.select_view(cur, view, **filters)
            return tables.to_xlsx(frame, view, filters=filters, database=path.name)
        finally:
            cur.close()

    st.download_button(
        label,
        data=build,
        file_name=tables.file_name(view, **filters),
        mime=xlsx.MIME,
        on_click="ignore",
        icon=":material/download:",
        key=key,
    )


def uploader_in_vietnamese(limit_mb: int) -> None:
    """Streamlit's file uploader writes "Upload", "Drag and drop files here" and "50MB per file"
    in its own (compiled) code, with no option to change them: the page's CSS shows Vietnamese
    words in their place (the English text stays in the page, hidden)."""
    zone = '[data-testid="stFileUploaderDropzone"]'
    words = f"Kéo thả tệp vào đây · tối đa {limit_mb} MB mỗi tệp"
    st.html(
        "<style>"
        f"{zone} button [data-testid='stMarkdownContainer'] p {{font-size: 0}}"
        f"{zone} button [data-testid='stMarkdownContainer'] p::after"
        '{content: "Chọn tệp"; font-size: 0.875rem}'
        f"{zone} [data-testid='stFileUploaderDropzoneInstructions'] span {{display: none}}"
        f"{zone} [data-testid='stFileUploaderDropzoneInstructions'] > div::after"
        f'{{content: "{words}"; font-size: 0.875rem; opacity: 0.7}}'
        "</style>"
    )
