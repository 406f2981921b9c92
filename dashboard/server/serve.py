"""The dashboard's server process: Streamlit, warm from the start.

``python -m dashboard.server.serve run dashboard/app.py --server.port 8501 ...`` takes the
arguments of ``python -m streamlit`` (``thidua serve`` execs it). As soon as Streamlit answers, and
while the first browser downloads its JavaScript, a background thread imports the modules the
first screen of a page needs (page runs wait for it: the first visitors neither pay for them nor
race each other importing them), then opens every analytic page once (dashboard.server.warmup:
the first page at once, the others while no visitor's page runs), which fills the shared caches,
moves the objects made so far out of the garbage collector's way (``gc.freeze``) and says the
dashboard is ready.

The fixed server settings (no file watcher, no garbage collection after every run, viewer
toolbar...) are in dashboard/.streamlit/config.toml, which Streamlit reads however app.py is run.
"""

from __future__ import annotations

import gc
import importlib
import os
import re
import sys
import threading
from typing import Any

# Imported once at start: what the pages import for their first screen, and what Streamlit loads
# lazily on the first chart and table. Not before the server answers: the same interpreter lock
# would slow Streamlit's own start. pandas comes first and whole: plotly looks for it in
# sys.modules while it serialises a chart, and a pandas still being imported by a page's table on
# another thread is found half made there.
MODULES = (
    "pandas",
    "pyarrow",
    "polars",
    "duckdb",
    "plotly.graph_objects",
    "plotly.io",
    "streamlit.elements.plotly_chart",
    "dashboard.auth_ui",
    "dashboard.data",
    "dashboard.figures.indicator_groups",
    "dashboard.figures.indicators",
    "dashboard.figures.plotly",
    "dashboard.figures.ranking",
    "dashboard.figures.targets",
    "dashboard.figures.units",
    "dashboard.figures.small_screens",
    "dashboard.format",
    "dashboard.state",
    "dashboard.ui",
)


def _env_name(option: str) -> str:
    """Streamlit's variable for a config option: ``client.toolbarMode`` → STREAMLIT_CLIENT_TOOLBAR_MODE."""
    return "STREAMLIT_" + re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", option.replace(".", "_")).upper()


def _option(argv: list[str], name: str, default: str) -> str:
    """The value of ``--name`` in ``argv`` (``--name value`` or ``--name=value``), else of its
    STREAMLIT_* variable, else ``default``."""
    flag = f"--{name}"
    for i, arg in enumerate(argv):
        if arg == flag and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith(flag + "="):
            return arg.split("=", 1)[1]
    return os.environ.get(_env_name(name), default)


def _prepare_in_background(argv: list[str]) -> None:
    """Once the server answers, import MODULES, then visit every page, on a thread of its own: a
    browser downloads Streamlit's JavaScript meanwhile; a page run waits for the imports
    (warmup.wait_until_imported)."""
    from dashboard.server import warmup

    port = int(_option(argv, "server.port", "8501"))
    address = _option(argv, "server.address", "") or "127.0.0.1"
    host = "127.0.0.1" if address in ("0.0.0.0", "::") else address
    imported = warmup.expect_imports()

    def run() -> None:
        try:
            warmup.wait_ready(host, port, timeout=120)
            for name in MODULES:
                importlib.import_module(name)
        finally:
            imported.set()
        try:
            seconds = warmup.warm(host, port)
        except Exception as exc:  # warming is an optimisation: the server serves regardless
            print(f"thidua: bỏ qua bước làm nóng bảng điều khiển ({exc})", flush=True)
            return
        gc.collect()
        gc.freeze()
        print(
            f"thidua: bảng điều khiển đã sẵn sàng (nạp sẵn các trang: {seconds:.1f} s)", flush=True
        )

    threading.Thread(target=run, name="thidua-warmup", daemon=True).start()


def proxy_environment(trusted: str) -> dict[str, str]:
    """What uvicorn (Streamlit's server) needs to believe X-Forwarded-For only from ``trusted``.

    uvicorn trusts the header from 127.0.0.1 unless told otherwise (FORWARDED_ALLOW_IPS): a
    client on the same machine, or behind a proxy that passes the header on, could then name any
    address and rotate it past the sign-in throttle. Without THIDUA_TRUSTED_PROXIES no header of
    the client is believed: the address is the TCP peer's.
    """
    return {"FORWARDED_ALLOW_IPS": ",".join(p.strip() for p in trusted.split(",") if p.strip())}


def close_metrics() -> None:
    """Answer 404 at ``/_stcore/metrics``: Streamlit serves its counters there to anyone (sessions,
    memory per cache), which tells a stranger how the server is used; nobody here reads them."""
    from starlette.responses import PlainTextResponse
    from starlette.routing import Route
    from streamlit.web.server.starlette import starlette_app, starlette_routes

    async def closed(_request: Any) -> PlainTextResponse:
        return PlainTextResponse("Not Found", status_code=404)

    def no_metrics(_runtime: Any, base_url: str | None) -> list[Route]:
        path = starlette_routes._with_base(starlette_routes.ROUTE_METRICS, base_url)
        return [Route(path, closed, methods=["GET", "OPTIONS"])]

    starlette_app.create_metrics_routes = no_metrics  # type: ignore[assignment]


def skip_component_scan() -> None:
    """Start without looking for custom components: Streamlit reads the metadata of every
    installed package for them (0,12 s of CPU before the server answers), and no package here
    ships one (tests/dashboard/test_serve.py checks that the scan finds none)."""
    from streamlit.components.v2.component_manager import BidiComponentManager

    def no_components(_self: Any, *, start_file_watching: bool = True) -> None:
        return None

    BidiComponentManager.discover_and_register_components = no_components  # type: ignore[assignment]


def main() -> None:
    from etl import settings

    os.environ.update(proxy_environment(str(settings.get("trusted_proxies"))))
    close_metrics()
    skip_component_scan()
    argv = sys.argv[1:]
    if argv[:1] == ["run"]:
        _prepare_in_background(argv)
    from streamlit.web import cli

    sys.argv = ["streamlit", *argv]
    cli.main(prog_name="streamlit")


if __name__ == "__main__":
    main()
