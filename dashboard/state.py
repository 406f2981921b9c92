"""The sidebar filters (year, cluster, unit): shared by every analytic page and kept in the URL.

``?nam=2026&cum=Cụm thi đua số 1&don_vi=Sở Tài chính`` reproduces a view. The widgets are drawn
by app.py (outside the pages, so Streamlit keeps their values when the page changes); a shadow copy
in session state carries the choice over pages that do not show the filters. A page's own choice of
view is kept the same way (``choose_view``: ``?nhom=giam_ngheo`` on Chỉ tiêu KT-XH).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import streamlit as st

from dashboard import data

PARAMS = {"year": "nam", "cluster": "cum", "unit": "don_vi"}
ALL_CLUSTERS = "Tất cả cụm, khối"
NO_UNIT = "(chưa chọn đơn vị)"
CLUSTER_FIRST = "(chọn cụm, khối trước)"
# Across all clusters a province lists a few hundred units; a whole country ten thousand, which no
# one reads through in a selectbox and which every page would send to every browser (0,5 MB).
# Beyond this many, the unit box lists the units of the chosen cluster only.
UNITS_LISTED = 500
_CURRENT = "_thidua_filters"


@dataclass(frozen=True)
class Filters:
    year: int | None = None
    cluster: str | None = None
    unit: str | None = None

    def query(self) -> dict[str, str]:
        """The query-string form of these filters (only what is set)."""
        out = {}
        for field, param in PARAMS.items():
            value = getattr(self, field)
            if value not in (None, ""):
                out[param] = str(value)
        return out


def _from_url(param: str) -> str | None:
    value = st.query_params.get(param)
    return value if value not in (None, "") else None


def _seed(
    param: str, key: str, options: Sequence[Any], default: Any, parse: Callable[[str], Any]
) -> None:
    """Give the widget ``key`` its value before it is drawn: the one it had, else the one kept
    from another page, else the URL's (the URL first on arrival), else ``default``."""
    shadow = f"_keep_{param}"
    state = st.session_state
    if key in state and state[key] not in options:
        del state[key]  # e.g. the cluster does not exist in the newly chosen year
    if key not in state:
        candidates = [state.get(shadow)]
        raw = _from_url(param)
        if raw is not None:
            with contextlib.suppress(ValueError):  # a hand-edited URL: ignore what does not parse
                candidates.insert(0 if shadow not in state else 1, parse(raw))
        state[key] = next((c for c in candidates if c is not None and c in options), default)


def _choose(
    param: str,
    label: str,
    options: Sequence[Any],
    default: Any,
    parse: Callable[[str], Any] = str,
    format_func: Callable[[Any], str] = str,
    container: Any = None,
) -> Any:
    """A selectbox whose value survives page changes and is seeded from the URL."""
    key = f"flt_{param}"
    _seed(param, key, options, default, parse)
    box = container if container is not None else st.sidebar
    value = box.selectbox(label, options, key=key, format_func=format_func)
    st.session_state[f"_keep_{param}"] = value
    return value


def choose_view(
    param: str, label: str, options: Sequence[str], format_func: Callable[[str], str]
) -> str:
    """A page's own choice of view (e.g. a group of indicators) as a segmented control in the
    page, kept in the URL (``?param=value``) and across page changes like the filters; the first
    option by default. Only the page that draws it reads or writes ``param``."""
    key, shadow = f"view_{param}", f"_keep_{param}"
    _seed(param, key, options, options[0], str)
    chosen = st.segmented_control(
        label, options, key=key, format_func=format_func, required=True, width="stretch"
    )
    value = chosen if isinstance(chosen, str) and chosen in options else options[0]
    st.session_state[shadow] = value
    if st.query_params.get(param) != value:
        st.query_params[param] = value
    return value


def render(container: Any = None) -> Filters:
    """Draw the filters (in ``container``, default the sidebar) and return the choice."""
    box = container if container is not None else st.sidebar
    years = data.query("filter_years")["year"].to_list()
    if not years:
        filters = Filters()
    else:
        box.markdown("**Bộ lọc**")
        year = _choose("nam", "Năm", years, years[0], parse=int, container=box)
        clusters = data.query("filter_clusters", year=year)["cluster"].to_list()
        cluster = _choose(
            "cum",
            "Cụm, khối thi đua",
            ["", *clusters],
            "",
            format_func=lambda c: c or ALL_CLUSTERS,
            container=box,
        )
        units = data.query("filter_units", year=year, cluster=cluster or None)["unit"].to_list()
        unlisted = not cluster and len(units) > UNITS_LISTED
        if unlisted:  # only a unit already chosen (here, on another page or in the URL) stays
            held = {st.session_state.get(k) for k in ("flt_don_vi", "_keep_don_vi")}
            held.add(_from_url("don_vi"))
            units = [u for u in units if u in held]
        unit = _choose(
            "don_vi",
            "Đơn vị",
            ["", *units],
            "",
            format_func=lambda u: u or (CLUSTER_FIRST if unlisted else NO_UNIT),
            container=box,
        )
        filters = Filters(year, cluster or None, unit or None)
    _sync_url(filters)
    st.session_state[_CURRENT] = filters
    return filters


def _sync_url(filters: Filters) -> None:
    wanted = filters.query()
    current = {p: st.query_params.get(p) for p in PARAMS.values()}
    if {p: v for p, v in current.items() if v is not None} == wanted:
        return
    for param in PARAMS.values():
        if param in wanted:
            st.query_params[param] = wanted[param]
        elif param in st.query_params:
            del st.query_params[param]


def begin_run() -> None:
    """Called by app.py at the start of every run: the filters are drawn (and read) again."""
    st.session_state.pop(_CURRENT, None)


def current() -> Filters:
    """The filters chosen in this run (drawn by app.py); drawn here when a page runs alone."""
    filters = st.session_state.get(_CURRENT)
    if not isinstance(filters, Filters):
        filters = render()
    return filters
