"""Small Streamlit helpers shared by the pages: cached charts and plain tables."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Hashable, Iterable
from typing import Any, Literal

import plotly.graph_objects as go
import polars as pl
import streamlit as st

PLOTLY_CONFIG = {"displaylogo": False}
MAX_BARS = 40  # bars (clusters or units) one chart draws; the tables beside keep every row


def fingerprint(frame: pl.DataFrame) -> str:
    """A cheap content key of a frame: its schema and a digest of its row hashes, in order."""
    digest = hashlib.blake2b(repr(list(frame.schema.items())).encode(), digest_size=16)
    if frame.height:
        digest.update(frame.hash_rows(seed=7).to_numpy().tobytes())
    return f"{frame.shape}|{digest.hexdigest()}"


@st.cache_resource(max_entries=500, show_spinner=False)
def _figure(name: str, key: str, _build: Callable[[], go.Figure]) -> go.Figure:
    # Building a plotly figure is the slow part of a page (tens of ms each); the figure is only
    # read afterwards (st.plotly_chart copies it), so one shared object per content is safe.
    return _build()


def figure(builder: Callable[..., go.Figure], frame: pl.DataFrame, *args: Hashable) -> go.Figure:
    """``builder(frame, *args)``, cached by the frame's content and the arguments."""
    return _figure(
        builder.__qualname__, f"{fingerprint(frame)}|{args!r}", lambda: builder(frame, *args)
    )


def chart(
    builder: Callable[..., go.Figure],
    frame: pl.DataFrame,
    *args: Hashable,
    key: str,
    note: str | None = None,
    **kwargs: Any,
) -> None:
    """Draw ``builder(frame, *args)`` across the container, with an optional footnote under it."""
    fig = figure(builder, frame, *args)
    st.plotly_chart(fig, width="stretch", key=key, config=PLOTLY_CONFIG, **kwargs)
    if note:
        st.caption(note)


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
