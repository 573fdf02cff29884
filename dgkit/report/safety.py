"""What keeps a report run from harming anything: paths, the edition lock, stale staging, interrupts.

* **Paths.** A report folder is ``<out>/<edition>`` where the edition is a safe slug (checked by
  :mod:`dgkit.params`); :func:`report_folder` resolves it, symlinks included, and refuses anything that
  would land outside ``<out>``. ``--force`` replaces a folder only when :func:`is_dgkit_report` knows it as
  a previous dgkit report (its ``manifest.json`` names the dgkit version and the edition).
* **Lock.** :class:`EditionLock` holds an exclusive ``flock`` on ``<out>/.<edition>.lock`` for the whole
  run: a second run of the same edition into the same folder refuses with the first run's pid and start
  time, or waits for it (``--wait``). The kernel drops the lock when a process dies, even by SIGKILL.
* **Stale staging.** Once the lock is held no other run can be writing this edition, so staging folders
  (``.<edition>.tmp-<pid>``) and half-swapped old reports (``.<edition>.old-<pid>``) left by killed runs
  are removed (:func:`remove_stale`).
* **Interrupts.** :class:`InterruptGuard` turns SIGINT and SIGTERM into :class:`~dgkit.errors.ReportInterrupted`
  in the main thread, kills the run's kernels at once (:func:`kill_children`), and defers the signal while the
  finished report is being swapped into place, so a report is either the old one or the new one.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from types import FrameType
from typing import Any

from dgkit.errors import OutputExistsError, ReportError, ReportInterrupted

MANIFEST = "manifest.json"


def report_folder(out_root: Path, folder: str) -> Path:
    """``out_root / folder``, refused unless it resolves (symlinks followed) to a direct child of
    ``out_root``. ``out_root`` itself is resolved first, so a symlinked output folder is fine."""
    root = out_root.resolve()
    target = root / folder
    if Path(folder).name != folder or folder in ("", ".", ".."):
        raise ReportError(f"report folder name {folder!r} is not a plain folder name; expected a name such as 2020 or my-edition")
    if target.is_symlink() or (target.exists() and target.resolve().parent != root):
        raise ReportError(f"{target} is a symbolic link (to {target.resolve()}); a report is never written through a link: "
                          f"expected a real folder inside {root}; remove the link or choose another --out")
    return target


def is_dgkit_report(folder: Path) -> bool:
    """True when ``folder`` holds a report dgkit wrote: a ``manifest.json`` naming the dgkit version and edition."""
    m = folder / MANIFEST
    if not m.is_file() or m.is_symlink():
        return False
    try:
        d = json.loads(m.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(d, dict) and "dgkit_version" in d and "edition" in d


def check_replaceable(target: Path, force: bool) -> None:
    """Refuse to touch ``target`` unless it is absent, or ``force`` and a previous dgkit report.
    An empty folder is taken as absent."""
    if not target.exists():
        return
    if target.is_dir() and not any(target.iterdir()):
        return
    if not force:
        raise OutputExistsError(f"{target} exists; pass --force to replace it (it is replaced only when the new report is complete)")
    if not target.is_dir() or not is_dgkit_report(target):
        kind = "a file" if not target.is_dir() else "a folder that is not a dgkit report (it has no dgkit manifest.json)"
        raise OutputExistsError(f"{target} is {kind}; --force replaces only a previous dgkit report; "
                                f"expected an empty folder or a dgkit report there: move it away or choose another --out")


class EditionLock:
    """An exclusive lock on ``<out>/.<folder>.lock`` for each report folder of a run (see module docstring)."""

    def __init__(self, out_root: Path, folders: list[str], wait: bool = False, poll: float = 0.5) -> None:
        self.folders = {out_root / f".{f}.lock": out_root / f for f in sorted(set(folders))}
        self.paths = list(self.folders)
        self.wait = wait
        self.poll = poll
        self._fhs: list[Any] = []

    def __enter__(self) -> EditionLock:
        import fcntl

        try:
            for p in self.paths:
                fh = open(p, "a+", encoding="utf-8")  # noqa: SIM115 - kept open while the lock is held
                os.chmod(p, 0o644)
                while True:
                    try:
                        fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                        break
                    except BlockingIOError:
                        if not self.wait:
                            fh.seek(0)
                            holder = fh.read().strip() or "another process"
                            fh.close()
                            raise ReportError(f"another dgkit report is writing {self.folders[p]} ({holder}); "
                                              "wait for it to finish, or pass --wait to queue behind it") from None
                        time.sleep(self.poll)
                fh.seek(0)
                fh.truncate()
                fh.write(f"pid {os.getpid()}, started {time.strftime('%Y-%m-%d %H:%M:%S')}\n")
                fh.flush()
                self._fhs.append(fh)
        except BaseException:
            self.release()
            raise
        return self

    def release(self) -> None:
        for fh in self._fhs:
            with contextlib.suppress(OSError):
                fh.close()  # closing drops the flock; the lock file stays (removing it would race a waiter)
        self._fhs = []

    def __exit__(self, *exc: object) -> None:
        self.release()


def remove_stale(out_root: Path, folder: str) -> list[Path]:
    """Remove staging and half-swapped folders of ``folder`` left by runs that were killed.
    Call only while holding the edition lock. Returns what was removed."""
    gone = []
    for pattern in (f".{folder}.tmp-*", f".{folder}.old-*"):
        for p in out_root.glob(pattern):
            if p.is_dir() and not p.is_symlink():
                shutil.rmtree(p, ignore_errors=True)
                gone.append(p)
    return gone


def child_pids() -> list[int]:
    """Every descendant process of this one (Linux /proc; psutil elsewhere when installed)."""
    me = os.getpid()
    proc = Path("/proc")
    if proc.is_dir():
        parent: dict[int, int] = {}
        for d in proc.iterdir():
            if d.name.isdigit():
                try:
                    stat = (d / "stat").read_text()
                    parent[int(d.name)] = int(stat.rsplit(")", 1)[1].split()[1])
                except (OSError, ValueError, IndexError):
                    continue
        out, frontier = [], [me]
        while frontier:
            p = frontier.pop()
            kids = [c for c, pp in parent.items() if pp == p]
            out += kids
            frontier += kids
        return out
    try:
        import psutil

        return [c.pid for c in psutil.Process(me).children(recursive=True)]
    except Exception:  # noqa: BLE001 - best effort where neither is available
        return []


def kill_children() -> int:
    """SIGKILL every descendant process (the run's kernels); returns how many were signalled."""
    n = 0
    for pid in child_pids():
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)
            n += 1
    return n


class InterruptGuard:
    """SIGINT/SIGTERM → :class:`ReportInterrupted` in the main thread (see module docstring).

    ``on_signal`` runs first, inside the handler (set the cancel flag, kill kernels). Inside
    ``with guard.critical():`` a signal is recorded and raised when the block ends."""

    SIGNALS = {signal.SIGINT: ("SIGINT", 130), signal.SIGTERM: ("SIGTERM", 143)}

    def __init__(self, on_signal: Callable[[], None] | None = None) -> None:
        self.on_signal = on_signal
        self._old: dict[int, Any] = {}
        self._critical = 0
        self._pending: int | None = None
        self.received: int | None = None

    def _handler(self, signum: int, frame: FrameType | None) -> None:
        if self.received is None:
            self.received = signum
            if self.on_signal is not None:
                self.on_signal()
        if self._critical:
            self._pending = signum
            return
        self._raise(signum)

    def _raise(self, signum: int) -> None:
        name, code = self.SIGNALS[signal.Signals(signum)]
        raise ReportInterrupted(name, code)

    @contextlib.contextmanager
    def critical(self) -> Iterator[None]:
        self._critical += 1
        try:
            yield
        finally:
            self._critical -= 1
        if not self._critical and self._pending is not None:
            s, self._pending = self._pending, None
            self._raise(s)

    def __enter__(self) -> InterruptGuard:
        if threading.current_thread() is threading.main_thread():
            for s in self.SIGNALS:
                self._old[s] = signal.signal(s, self._handler)
        return self

    def __exit__(self, *exc: object) -> None:
        for s, h in self._old.items():
            signal.signal(s, h)
        self._old = {}
