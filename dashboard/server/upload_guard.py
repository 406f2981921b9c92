"""Who may send files to this server, and how much of them it keeps.

Streamlit's upload endpoint (``PUT /_stcore/upload_file/<session>/<file>``) accepts a file for any
live session, signed in or not, whether or not its page shows an uploader, and keeps every file
in memory until the session ends: anyone could fill the server's memory without signing in, and
the session id, which every upload URL carried, was all a PUT needed. The endpoint checks the
path's first segment with ``Runtime.is_active_session`` before it reads the body (its only caller,
streamlit/web/server/starlette/starlette_routes.py ``_upload_put``) and then stores the file with
``UploadedFileManager.add_file``; the URLs come from ``UploadedFileManager.get_upload_urls``.
:func:`install` wraps them, once per server process:

- the upload URLs name a **short-lived upload token** instead of the session id: minted for one
  browser session, for the account signed in there (:func:`grant`, from auth_ui) when it may
  upload, for the file ids of that one request, valid ``TOKEN_SECONDS``. A PUT (or DELETE) with a
  session id, an expired token, a token of an account that signed out or lost the right, or a
  file id the token was not minted for is refused (400) before a byte of its body is read;
- files stored before the guard was installed (the first script run of the process) are dropped;
- a file over THIDUA_MAX_UPLOAD_MB is refused (413) even when Streamlit's own cap is higher (a bare
  ``streamlit run``), and one **account**, over all its sessions, keeps at most
  THIDUA_MAX_SESSION_UPLOAD_MB in memory (413): three tabs of one account hold no more than one.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from etl import settings

MB = 1024 * 1024
TOKEN_SECONDS = 600

_lock = threading.Lock()
_granted: dict[str, str] = {}  # session id -> the signed-in account that may upload there
_tokens: dict[str, _Token] = {}
_is_live: Callable[[str], bool] | None = None  # Streamlit's own session check, kept by install()


@dataclass
class _Token:
    session: str
    account: str
    expires: float
    file_ids: set[str] = field(default_factory=set)


def _session_id() -> str | None:
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    return ctx.session_id if ctx is not None else None


def grant(account: str | None) -> None:
    """Record which account may upload from the current browser session, or None (called on
    every run)."""
    session = _session_id()
    if session is None:
        return
    with _lock:
        if not account:
            _granted.pop(session, None)
            return
        if _is_live is not None:  # forget sessions that have ended meanwhile
            for gone in [s for s in _granted if not _is_live(s)]:
                del _granted[gone]
        now = time.monotonic()
        for stale in [t for t, v in _tokens.items() if v.expires < now]:
            del _tokens[stale]
        _granted[session] = account


def may_upload(session_id: str) -> bool:
    with _lock:
        return session_id in _granted


def mint(session_id: str, file_ids: list[str]) -> str:
    """A token for these uploads of this session: random, unknown to anyone else, short-lived;
    bound to the account signed in there now (none when nobody may upload: it opens nothing)."""
    token = secrets.token_urlsafe(24)
    with _lock:
        account = _granted.get(session_id)
        if account is not None:
            _tokens[token] = _Token(
                session_id, account, time.monotonic() + TOKEN_SECONDS, set(file_ids)
            )
    return token


def _resolve(token: str, file_id: str | None = None) -> str | None:
    """The session a token uploads for, while it is valid (and names ``file_id``)."""
    with _lock:
        held = _tokens.get(token)
        if held is None or held.expires < time.monotonic():
            return None
        if _granted.get(held.session) != held.account:  # signed out, or another account now
            return None
        if file_id is not None and file_id not in held.file_ids:
            return None
        return held.session


def _account_of(session_id: str) -> str | None:
    with _lock:
        return _granted.get(session_id)


def _refuse(status: int, detail: str) -> Exception:
    from starlette.exceptions import HTTPException

    return HTTPException(status_code=status, detail=detail)


def _guard_store(manager: Any) -> Callable[[str, Any], None]:
    add_file = manager.add_file

    # Streamlit calls these with keywords: the parameters keep its names (the "session_id" of a
    # URL is now a token).
    def guarded_add_file(session_id: str, file: Any) -> None:
        token = session_id
        per_file = int(settings.get("max_upload_mb")) * MB
        if len(file.data) > per_file:
            raise _refuse(413, "File too large")
        session = _resolve(token, file.file_id)
        if session is None:  # signed out while the body was arriving, or not a token
            raise _refuse(403, "Sign in to upload")
        account = _account_of(session)
        storage = getattr(manager, "file_storage", {})
        with _lock:
            sessions = [s for s, a in _granted.items() if a == account]
        held = sum(
            len(f.data)
            for s in sessions
            for fid, f in list(storage.get(s, {}).items())
            if not (s == session and fid == file.file_id)
        )
        per_account = max(int(settings.get("max_session_upload_mb")) * MB, per_file)
        if held + len(file.data) > per_account:
            raise _refuse(413, "Too much uploaded by this account")
        add_file(session, file)

    return guarded_add_file


def _guard_urls(manager: Any) -> Callable[[str, Any], list[Any]]:
    from streamlit.runtime.uploaded_file_manager import UploadFileUrlInfo

    get_upload_urls = manager.get_upload_urls
    endpoint = getattr(manager, "endpoint", "/_stcore/upload_file")

    def guarded_urls(session_id: str, file_names: Any) -> list[Any]:
        infos = get_upload_urls(session_id, file_names)
        token = mint(session_id, [i.file_id for i in infos])
        return [
            UploadFileUrlInfo(
                file_id=i.file_id,
                upload_url=f"{endpoint}/{token}/{i.file_id}",
                delete_url=f"{endpoint}/{token}/{i.file_id}",
            )
            for i in infos
        ]

    return guarded_urls


def _guard_remove(manager: Any) -> Callable[[str, str], None]:
    remove_file = manager.remove_file

    def guarded_remove(session_id: str, file_id: str) -> None:
        session = _resolve(session_id, file_id)
        if session is not None:  # a session id or a stale token removes nothing
            remove_file(session, file_id)

    return guarded_remove


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
            session = _resolve(session_id)
            return session is not None and is_live(session)

        runtime.is_active_session = is_active_session  # type: ignore[method-assign]
        manager = runtime.uploaded_file_mgr
        manager.add_file = _guard_store(manager)  # type: ignore[method-assign]
        manager.get_upload_urls = _guard_urls(manager)  # type: ignore[method-assign]
        manager.remove_file = _guard_remove(manager)  # type: ignore[method-assign]
    # The guard arrives with the first script run, a moment after the first session could
    # already send files: drop whatever was stored before it (no session was granted yet).
    for session_id in list(getattr(manager, "file_storage", {})):
        manager.remove_session_files(session_id)
