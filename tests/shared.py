"""What a test run makes once and its pytest-xdist workers share: the site build and its server.

``uv run pytest`` runs the tests in several worker processes (pytest-xdist, ``-n`` in
pyproject.toml). A session fixture would be made once per worker; the two costly resources are
made once per run instead, by whichever process asks first (and Chromium once per worker,
tests/chromium.py, with the same functions):

* :func:`started` runs a command in the background, detached from the process that starts it,
  under a lock in the run's shared folder; the others find it started. Its output and exit
  status go to files there, so that any worker can wait for it (:func:`result`).
* :func:`stop_all` (the controller's ``pytest_unconfigure``, tests/conftest.py) stops what is
  still running once every worker is done.

The shared folder is the controller's ``basetemp`` (pytest-xdist gives each worker the folder
``<basetemp>/popen-gwN``); without xdist (``-n 0``, ``-p no:xdist``) the one process is both
controller and worker, and everything works the same.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest


ROOT: Path  # the folder every process of this run shares, set by :func:`setup`
OWN: Path  # this process's own folder (a worker's ``popen-gwN``; ROOT without xdist)


def setup(config: pytest.Config) -> Path:
    """Find the run's shared folder (tests/conftest.py, at the start of each process's session)."""
    global ROOT, OWN
    OWN = config._tmp_path_factory.getbasetemp()
    ROOT = OWN.parent if hasattr(config, "workerinput") else OWN
    return ROOT


def is_controller(config: pytest.Config) -> bool:
    return not hasattr(config, "workerinput")


@contextlib.contextmanager
def locked(root: Path, name: str) -> Iterator[None]:
    with open(root / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def started(root: Path, name: str, command: list[str], *, cwd: Path | None = None, env: dict | None = None) -> Path:
    """Start ``command`` as the run's ``name`` unless a process of this run already did; its folder.

    The folder holds ``log`` (stdout and stderr), ``pid``, and ``status`` (the exit status,
    written when the command ends).
    """
    home = root / name
    with locked(root, name):
        if not (home / "pid").exists():
            home.mkdir(exist_ok=True)
            with open(home / "log", "w") as log:
                # the shell writes the status once the command is over, whoever waits for it
                proc = subprocess.Popen(
                    ["/bin/sh", "-c", '"$@"; echo $? > "$0.tmp" && mv "$0.tmp" "$0"', str(home / "status"), *command],
                    cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                    start_new_session=True,  # a process group of its own, stopped as one by stop_all
                )
            (home / "pid").write_text(str(proc.pid))
    return home


def result(home: Path, timeout: float = 900) -> tuple[int, str]:
    """Wait for the command of :func:`started` to end; its exit status and output."""
    deadline = time.monotonic() + timeout
    while not (home / "status").exists():
        if time.monotonic() > deadline:
            return -1, f"still running after {timeout:.0f} s\n" + log(home)
        time.sleep(0.1)
    return int((home / "status").read_text()), log(home)


def log(home: Path) -> str:
    return (home / "log").read_text(errors="replace")


def wait_for_line(home: Path, marker: str, timeout: float = 60) -> str | None:
    """The first line of the command's output that holds ``marker`` (None if it ended or timed out first)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        text = log(home)
        for line in text.splitlines():
            if marker in line:
                return line
        if (home / "status").exists():
            return None
        time.sleep(0.05)
    return None


def stop_all(root: Path) -> None:
    """Stop every command of this run that is still running (its whole process group)."""
    for pid_file in root.glob("**/pid"):
        if (pid_file.parent / "status").exists():
            continue
        with contextlib.suppress(ProcessLookupError, ValueError, PermissionError):
            os.killpg(int(pid_file.read_text()), signal.SIGTERM)
