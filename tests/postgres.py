"""A real PostgreSQL for the national-deployment tests: Debian's server binaries, one throw-away
cluster on a Unix socket in a temporary folder, started once per test session.

PostgreSQL refuses to run as root, so when the tests run as root the cluster belongs to the
``postgres`` system user (its folder too) and the binaries run through ``runuser``. Anything that
keeps it from starting (no binaries, no such user) is a skip with the reason, never a failure.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path


class Unavailable(Exception):
    """PostgreSQL cannot be started here; the message says why."""


def _bin_dir() -> Path:
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(p.split("/")[4])
    )
    if found:
        return Path(found[-1]).parent
    on_path = shutil.which("pg_ctl")
    if on_path:
        return Path(on_path).parent
    raise Unavailable("PostgreSQL is not installed (Debian package 'postgresql')")


class Cluster:
    """One running cluster; :meth:`create_database` gives each test module a database."""

    def __init__(self) -> None:
        self.bin = _bin_dir()
        self.as_root = os.geteuid() == 0
        if self.as_root:
            try:
                self.owner = pwd.getpwnam("postgres")
            except KeyError as exc:
                raise Unavailable("no 'postgres' system user to run PostgreSQL as") from exc
        self.folder = Path(tempfile.mkdtemp(prefix="thidua-pg-"))
        if self.as_root:
            os.chown(self.folder, self.owner.pw_uid, self.owner.pw_gid)
        self.data = self.folder / "data"
        self.user = self.owner.pw_name if self.as_root else pwd.getpwuid(os.geteuid()).pw_name
        self._count = 0

    def _run(self, tool: str, *args: str) -> subprocess.CompletedProcess:
        cmd = [str(self.bin / tool), *args]
        if self.as_root:
            cmd = ["runuser", "-u", self.owner.pw_name, "--", *cmd]
        return subprocess.run(cmd, capture_output=True, text=True, timeout=120, cwd=self.folder)

    def start(self) -> Cluster:
        init = self._run(
            "initdb",
            "-D",
            str(self.data),
            "-A",
            "trust",
            "-U",
            self.user,
            "--no-sync",
            "-E",
            "UTF8",
        )
        if init.returncode:
            raise Unavailable(f"initdb failed: {init.stderr.strip()[-300:]}")
        options = f"-k {self.folder} -c listen_addresses='' -c fsync=off -c max_connections=200"
        started = self._run(
            "pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.folder / "log"), "-w",
            "start",
        )  # fmt: skip
        if started.returncode:
            raise Unavailable(f"pg_ctl start failed: {started.stderr.strip()[-300:]}")
        return self

    def conninfo(self, dbname: str) -> str:
        return f"dbname={dbname} host={self.folder} user={self.user}"

    def create_database(self, stem: str = "thidua") -> str:
        """A new empty database; returns its libpq keywords."""
        self._count += 1
        name = f"{stem}_{self._count}"
        made = self._run("createdb", "-h", str(self.folder), "-U", self.user, name)
        if made.returncode:
            raise RuntimeError(made.stderr)
        return self.conninfo(name)

    def run(self, tool: str, *args: str) -> subprocess.CompletedProcess:
        """A client tool (pg_dump, psql…) against this cluster."""
        return self._run(tool, "-h", str(self.folder), "-U", self.user, *args)

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.folder, ignore_errors=True)
