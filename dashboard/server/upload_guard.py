"""Who may send files to this server, and how much of them it keeps.

Streamlit's upload endpoint (``PUT /_stcore/upload_file/<session>/<file>``) accepts a file for any
live session, signed in or not, whether or not its page shows an uploader, and keeps every file
in memory until the session ends: anyone could fill the server's memory without signing in. The
endpoint checks the session with ``Runtime.is_active_session`` before it reads the body (its only
caller, streamlit/web/server/starlette/starlette_routes.py ``_upload_put``) and then stores the
file with ``UploadedFileManager.add_file``. :func:`install` wraps both, once per server process:

- only a session whose signed-in account may upload (:func:`grant`, from auth_ui) gets past the
  first check, so an anonymous PUT is refused (400) before a byte of its body is read;
- files stored before the guard was installed (the first script run of the process) are dropped;
- a file over THIDUA_MAX_UPLOAD_MB is refused (413) even when Streamlit's own cap is higher (a bare
  ``streamlit run``), and one session keeps at most THIDUA_MAX_SESSION_UPLOAD_MB in memory (413).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from etl import settings

MB = 1024 * 1024

_lock = threading.Lock()
_granted: set[str] = set()  # ids of the sessions whose account may upload
_is_live: Callable[[str], bool] | None = None  # Streamlit's own session check, kept by install()


def _session_id() -> str | None:
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    return ctx.session_id if ctx is not None else None


def grant(may_upload: bool) -> None:
    """Record whether the current browser session may upload (called on every run)."""
    session = _session_id()
    if session is None:
        return
    with _lock:
        if not may_upload:
            _granted.discard(session)
            return
        if _is_live is not None:  # forget sessions that have ended meanwhile
            _granted.difference_update([s for s in _granted if not _is_live(s)])
        _granted.add(session)


def may_upload(session_id: str) -> bool:
    with _lock:
        return session_id in _granted


def _refuse(status: int, detail: str) -> Exception:
    from starlette.exceptions import HTTPException

    return HTTPException(status_code=status, detail=detail)


def _guard_store(manager: Any) -> Callable[[str, Any], None]:
    add_file = manager.add_file

    def guarded_add_file(session_id: str, file: Any) -> None:
        per_file = int(settings.get("max_upload_mb")) * MB
        if len(file.data) > per_file:
            raise _refuse(413, "File too large")
        if not may_upload(session_id):  # signed out while the body was arriving
            raise _refuse(403, "Sign in to upload")
        kept = getattr(manager, "file_storage", {}).get(session_id, {})
        held = sum(len(f.data) for fid, f in list(kept.items()) if fid != file.file_id)
        per_session = max(int(settings.get("max_session_upload_mb")) * MB, per_file)
        if held + len(file.data) > per_session:
            raise _refuse(413, "Too much uploaded in this session")
        add_file(session_id, file)

    return guarded_add_file


def install() -> None:
    """Put the guard on this process's Streamlit runtime (once; nothing without a runtime)."""
    global _is_live
    from streamlit.runtime import Runtime

    with _lock:
        if _is_live is not None or not Runtime.exists():
            return
        runtime = Runtime.instance()
        is_live = _is_live = runtime.is_active_session

        def is_active_session(session_id: str) -> bool:
            return is_live(session_id) and may_upload(session_id)

        runtime.is_active_session = is_active_session  # type: ignore[method-assign]
        manager = runtime.uploaded_file_mgr
        manager.add_file = _guard_store(manager)  # type: ignore[method-assign]
    # The guard arrives with the first script run, a moment after the first session could
    # already send files: drop whatever was stored before it (no session was granted yet).
    for session_id in list(getattr(manager, "file_storage", {})):
        manager.remove_session_files(session_id)
