"""Capture an agent run's output into log files.

A :class:`LogCapture` streams three files side by side in one directory:

- ``<prefix>.out.log``: the run's standard output,
- ``<prefix>.err.log``: diagnostics (also the target of :meth:`LogCapture.handler`),
- ``<prefix>.events.jsonl``: structured events, one JSON object per line.

Helpers read the files back and compress finished logs for archiving.
"""

from __future__ import annotations

import collections
import gzip
import json
import logging
import re
import shutil
import threading
import time
from os import PathLike
from pathlib import Path
from typing import Any, Callable, TextIO, TypeVar

StrPath = str | PathLike[str]
T = TypeVar("T")


class LogCapture:
    """Owns three append-mode log files until :meth:`close` is called."""

    def __init__(self, directory: StrPath, prefix: str = "run") -> None:
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.prefix = prefix
        self._lock = threading.Lock()
        self._out: TextIO | None = None
        self._err: TextIO | None = None
        self._events: TextIO | None = None
        try:
            self._out = open(self.out_path, "a", encoding="utf-8")
            self._err = open(self.err_path, "a", encoding="utf-8")
            self._events = open(self.events_path, "a", encoding="utf-8")  # noqa: SIM115  # owned by the capture, closed in close()
        except BaseException:
            self.close()
            raise

    @property
    def out_path(self) -> Path:
        return self.directory / f"{self.prefix}.out.log"

    @property
    def err_path(self) -> Path:
        return self.directory / f"{self.prefix}.err.log"

    @property
    def events_path(self) -> Path:
        return self.directory / f"{self.prefix}.events.jsonl"

    @property
    def closed(self) -> bool:
        return self._out is None and self._err is None and self._events is None

    def _require_open(self) -> None:
        if self.closed:
            raise ValueError("log capture is closed")

    def write_out(self, text: str) -> None:
        with self._lock:
            self._require_open()
            self._out.write(text)

    def write_err(self, text: str) -> None:
        with self._lock:
            self._require_open()
            self._err.write(text)

    def event(self, kind: str, **fields: Any) -> None:
        """Append a structured event; ``fields`` must be JSON serialisable."""
        record = {"ts": round(time.time(), 6), "kind": kind, **fields}
        line = json.dumps(record, sort_keys=True)
        with self._lock:
            self._require_open()
            self._events.write(line + "\n")

    def flush(self) -> None:
        with self._lock:
            for fh in (self._out, self._err, self._events):
                if fh is not None:
                    fh.flush()

    def handler(self, level: int = logging.INFO) -> logging.Handler:
        """A logging handler writing to the capture's error log.

        Remove the handler from its logger before closing the capture.
        """
        self._require_open()
        handler = logging.StreamHandler(self._err)
        handler.setLevel(level)
        handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
        return handler

    def close(self) -> None:
        """Flush and close all three files. Safe to call more than once."""
        with self._lock:
            if self._out is not None:
                self._out.close()
                self._out = None
            if self._err is not None:
                self._err.close()
                self._err = None
            if self._events is not None:
                self._events.close()
                self._events = None

    def __enter__(self) -> "LogCapture":
        return self

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        self.close()


def capture_run(directory: StrPath, fn: Callable[[LogCapture], T], *, prefix: str = "run") -> T:
    """Run ``fn`` with a fresh capture, recording start/end/error events."""
    with LogCapture(directory, prefix) as cap:
        cap.event("start")
        try:
            result = fn(cap)
        except Exception as exc:
            cap.event("error", error=type(exc).__name__, message=str(exc))
            raise
        cap.event("end")
        return result


def read_events(path: StrPath) -> list[dict[str, Any]]:
    """Parse an events file written by :meth:`LogCapture.event`."""
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def tail(path: StrPath, n: int = 10) -> list[str]:
    """Return the last ``n`` lines of a log file, without trailing newlines."""
    if n < 0:
        raise ValueError("n must be non-negative")
    with Path(path).open(encoding="utf-8") as f:
        last = collections.deque(f, maxlen=n)
    return [line.rstrip("\n") for line in last]


def grep_log(src: StrPath, dst: StrPath, pattern: str) -> int:
    """Copy the lines of ``src`` matching ``pattern`` to ``dst``; returns how many matched."""
    regex = re.compile(pattern)
    kept = 0
    with open(src, encoding="utf-8") as fin, open(dst, "w", encoding="utf-8") as fout:
        for line in fin:
            if regex.search(line):
                fout.write(line)
                kept += 1
    return kept


def compress_log(path: StrPath, *, remove: bool = True) -> Path:
    """Gzip ``path`` to ``path.gz`` and optionally remove the original."""
    source = Path(path)
    target = source.with_name(source.name + ".gz")
    with open(source, "rb") as src, gzip.open(target, "wb") as dst:
        shutil.copyfileobj(src, dst)
    if remove:
        source.unlink()
    return target


def archive_logs(directory: StrPath, *, min_age: float = 0.0) -> list[Path]:
    """Compress every ``*.log`` in ``directory`` not modified for ``min_age`` seconds."""
    now = time.time()
    archived = []
    for log in sorted(Path(directory).glob("*.log")):
        if now - log.stat().st_mtime >= min_age:
            archived.append(compress_log(log))
    return archived


def read_compressed_log(path: StrPath) -> str:
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return f.read()
