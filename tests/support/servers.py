"""Start a server in a subprocess, wait until it answers, and always stop it again."""

from __future__ import annotations

import socket
import subprocess
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import httpx


class ServerDidNotStart(RuntimeError):
    """The server exited, or did not answer within the time allowed; the message names its log."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def stop(proc: subprocess.Popen) -> None:
    """Ask a server subprocess to stop; kill it if it has not within 15 s."""
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=15)


def wait_until_ready(
    proc: subprocess.Popen, ready: Callable[[], bool], *, timeout_s: float, name: str, log: Path, poll_s: float = 0.3
) -> None:
    """Poll ``ready`` until it is true; raise :class:`ServerDidNotStart` if the process dies or time runs out."""
    deadline = time.monotonic() + timeout_s
    while True:
        if proc.poll() is not None:
            raise ServerDidNotStart(f"{name} stopte met code {proc.returncode}; zie {log}")
        try:
            if ready():
                return
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            raise ServerDidNotStart(f"{name} niet bereikbaar binnen {timeout_s:.0f} s; zie {log}")
        time.sleep(poll_s)


def url_ok(url: str) -> Callable[[], bool]:
    """A readiness check: GET ``url`` answers 200."""
    return lambda: httpx.get(url, timeout=2).status_code == 200


@contextmanager
def running(cmd: Sequence[str], ready_url: str, *, log: Path, timeout_s: float, name: str) -> Iterator[None]:
    """Run ``cmd`` (output to ``log``) until the block ends; enter once ``ready_url`` answers 200."""
    with log.open("wb") as out:
        proc = subprocess.Popen(list(cmd), stdout=out, stderr=subprocess.STDOUT)
        try:
            wait_until_ready(proc, url_ok(ready_url), timeout_s=timeout_s, name=name, log=log)
            yield
        finally:
            stop(proc)
