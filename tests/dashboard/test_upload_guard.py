"""dashboard.server.upload_guard on a real Streamlit upload store (no server): who may store files and
how much."""

from __future__ import annotations

import uuid

import pytest
from starlette.exceptions import HTTPException
from streamlit.runtime.memory_uploaded_file_manager import MemoryUploadedFileManager
from streamlit.runtime.uploaded_file_manager import UploadedFileRec

from dashboard.server import upload_guard

MB = 1024 * 1024


def test_the_guard_limits_each_file_and_each_session(monkeypatch: pytest.MonkeyPatch) -> None:
    """Per-file and per-session limits come from the settings; ungranted sessions store nothing."""
    monkeypatch.setenv("THIDUA_MAX_UPLOAD_MB", "2")
    monkeypatch.setenv("THIDUA_MAX_SESSION_UPLOAD_MB", "3")
    store = MemoryUploadedFileManager("/_stcore/upload_file")
    add = upload_guard._guard_store(store)
    monkeypatch.setattr(upload_guard, "_granted", {"s1"})

    def rec(mb: float) -> UploadedFileRec:
        return UploadedFileRec(
            str(uuid.uuid4()), "a.xlsx", "application/octet-stream", b"x" * int(mb * MB)
        )

    with pytest.raises(HTTPException) as refused:
        add("s2", rec(1))  # a session never granted
    assert refused.value.status_code == 403
    with pytest.raises(HTTPException) as refused:
        add("s1", rec(2.5))  # over the per-file limit
    assert refused.value.status_code == 413
    add("s1", rec(1.5))
    add("s1", rec(1.4))
    with pytest.raises(HTTPException) as refused:
        add("s1", rec(0.5))  # 3.4 MB would be held by one session
    assert refused.value.status_code == 413
    assert sum(len(f.data) for f in store.file_storage["s1"].values()) == int(2.9 * MB)


def test_sessions_are_granted_while_signed_in_and_forgotten_when_ended(monkeypatch) -> None:
    live = {"a", "b"}
    monkeypatch.setattr(upload_guard, "_is_live", lambda s: s in live)
    monkeypatch.setattr(upload_guard, "_granted", set())

    def run_as(session: str, may: bool) -> None:
        monkeypatch.setattr(upload_guard, "_session_id", lambda: session)
        upload_guard.grant(may)

    run_as("a", True)
    run_as("b", True)
    assert upload_guard.may_upload("a") and upload_guard.may_upload("b")
    live.discard("a")  # the browser tab of "a" was closed
    run_as("c", True)
    assert upload_guard._granted == {"b", "c"}
    run_as("b", False)  # signed out
    assert not upload_guard.may_upload("b") and upload_guard.may_upload("c")


def test_a_session_may_always_hold_one_file_of_the_largest_size(monkeypatch) -> None:
    """A per-session total set below the per-file limit does not refuse a file the page allows."""
    monkeypatch.setenv("THIDUA_MAX_UPLOAD_MB", "3")
    monkeypatch.setenv("THIDUA_MAX_SESSION_UPLOAD_MB", "1")
    store = MemoryUploadedFileManager("/_stcore/upload_file")
    add = upload_guard._guard_store(store)
    monkeypatch.setattr(upload_guard, "_granted", {"s1"})
    add("s1", UploadedFileRec("f1", "a.xlsx", "application/octet-stream", b"x" * (3 * MB)))
    with pytest.raises(HTTPException) as refused:
        add("s1", UploadedFileRec("f2", "b.xlsx", "application/octet-stream", b"x"))
    assert refused.value.status_code == 413
