"""dashboard.server.upload_guard on a real Streamlit upload store (no server): who may store
files, with what credential, and how much (issue 15, finding 6: a session id is no upload
credential; one account's sessions together hold a bounded amount)."""

from __future__ import annotations

import time
import uuid

import pytest
from starlette.exceptions import HTTPException
from streamlit.runtime.memory_uploaded_file_manager import MemoryUploadedFileManager
from streamlit.runtime.uploaded_file_manager import UploadedFileRec

from dashboard.server import upload_guard

MB = 1024 * 1024


@pytest.fixture
def guard(monkeypatch: pytest.MonkeyPatch):
    """A store guarded as install() guards Streamlit's; sessions s1, s2 (account 'nap') and s3
    (account 'lan') signed in with the right to upload."""
    monkeypatch.setattr(upload_guard, "_granted", {"s1": "nap", "s2": "nap", "s3": "lan"})
    monkeypatch.setattr(upload_guard, "_tokens", {})
    store = MemoryUploadedFileManager("/_stcore/upload_file")
    store.add_file = upload_guard._guard_store(store)
    store.get_upload_urls = upload_guard._guard_urls(store)
    store.remove_file = upload_guard._guard_remove(store)
    return store


def put(store, session: str, mb: float) -> UploadedFileRec:
    """What the browser does: ask for an upload URL, then PUT to it."""
    (info,) = store.get_upload_urls(session, ["a.xlsx"])
    token, file_id = info.upload_url.rsplit("/", 2)[-2:]
    rec = UploadedFileRec(file_id, "a.xlsx", "application/octet-stream", b"x" * int(mb * MB))
    store.add_file(session_id=token, file=rec)  # as Streamlit's route calls it
    return rec


def test_the_upload_url_carries_a_token_not_the_session_id(guard) -> None:
    (info,) = guard.get_upload_urls("s1", ["a.xlsx"])
    assert "s1" not in info.upload_url.split("/")
    token, file_id = info.upload_url.rsplit("/", 2)[-2:]
    assert upload_guard._resolve(token, file_id) == "s1"
    # The session id itself opens nothing: not the session check, not the store.
    assert upload_guard._resolve("s1") is None
    with pytest.raises(HTTPException) as refused:
        guard.add_file("s1", UploadedFileRec(file_id, "a.xlsx", "x", b"1"))
    assert refused.value.status_code == 403
    # Nor does the token for another file, or after signing out, or once expired.
    with pytest.raises(HTTPException):
        guard.add_file(token, UploadedFileRec(str(uuid.uuid4()), "b.xlsx", "x", b"1"))
    guard.add_file(token, UploadedFileRec(file_id, "a.xlsx", "x", b"1"))
    assert guard.get_files("s1", [file_id])
    guard.remove_file("s1", file_id)  # a DELETE with the session id removes nothing
    assert guard.get_files("s1", [file_id])
    guard.remove_file(session_id=token, file_id=file_id)
    assert not guard.get_files("s1", [file_id])


def test_a_token_dies_with_the_sign_in_and_with_time(guard, monkeypatch) -> None:
    (info,) = guard.get_upload_urls("s3", ["a.xlsx"])
    token, file_id = info.upload_url.rsplit("/", 2)[-2:]
    upload_guard._granted.pop("s3")  # signed out
    assert upload_guard._resolve(token, file_id) is None
    upload_guard._granted["s3"] = "nap"  # another account signs in in that tab
    assert upload_guard._resolve(token, file_id) is None
    upload_guard._granted["s3"] = "lan"
    assert upload_guard._resolve(token, file_id) == "s3"
    monkeypatch.setattr(time, "monotonic", lambda: 1e12)
    assert upload_guard._resolve(token, file_id) is None


def test_an_anonymous_session_gets_urls_that_open_nothing(guard) -> None:
    (info,) = guard.get_upload_urls("khach", ["a.xlsx"])
    token = info.upload_url.rsplit("/", 2)[-2]
    assert upload_guard._resolve(token) is None


def test_one_account_holds_a_bounded_amount_over_all_its_sessions(guard, monkeypatch) -> None:
    """Three tabs of one account held three times the per-session amount (+313 MiB)."""
    monkeypatch.setenv("THIDUA_MAX_UPLOAD_MB", "2")
    monkeypatch.setenv("THIDUA_MAX_SESSION_UPLOAD_MB", "3")
    with pytest.raises(HTTPException) as refused:
        put(guard, "s1", 2.5)  # over the per-file limit
    assert refused.value.status_code == 413
    put(guard, "s1", 1.5)
    put(guard, "s2", 1.4)  # the same account in another tab
    with pytest.raises(HTTPException) as refused:
        put(guard, "s2", 0.5)  # 3.4 MB would be held by one account
    assert refused.value.status_code == 413
    put(guard, "s3", 2)  # another account is not held back


def test_a_session_may_always_hold_one_file_of_the_largest_size(guard, monkeypatch) -> None:
    """A per-account total set below the per-file limit does not refuse a file the page allows."""
    monkeypatch.setenv("THIDUA_MAX_UPLOAD_MB", "3")
    monkeypatch.setenv("THIDUA_MAX_SESSION_UPLOAD_MB", "1")
    put(guard, "s1", 3)
    with pytest.raises(HTTPException) as refused:
        put(guard, "s1", 0.001)
    assert refused.value.status_code == 413


def test_sessions_are_granted_while_signed_in_and_forgotten_when_ended(monkeypatch) -> None:
    live = {"a", "b"}
    monkeypatch.setattr(upload_guard, "_is_live", lambda s: s in live)
    monkeypatch.setattr(upload_guard, "_granted", {})

    def run_as(session: str, account: str | None) -> None:
        monkeypatch.setattr(upload_guard, "_session_id", lambda: session)
        upload_guard.grant(account)

    run_as("a", "nap")
    run_as("b", "nap")
    assert upload_guard.may_upload("a") and upload_guard.may_upload("b")
    live.discard("a")  # the browser tab of "a" was closed
    run_as("c", "lan")
    assert upload_guard._granted == {"b": "nap", "c": "lan"}
    run_as("b", None)  # signed out
    assert not upload_guard.may_upload("b") and upload_guard.may_upload("c")
