"""On-disk caches for agent state: pickles, JSON documents and digests.

Everything here is process-safe in the weak sense that writers replace files
atomically where it matters (:func:`atomic_save_json`), so a crashed writer
never leaves a half-written document behind for the next reader.
"""

from __future__ import annotations

import bz2
import contextlib
import fcntl
import functools
import gzip
import hashlib
import json
import os
import pickle
import tempfile
import time
from os import PathLike
from pathlib import Path
from typing import Any, Callable, Iterator, TextIO, TypeVar

StrPath = str | PathLike[str]
T = TypeVar("T")

_MISSING = object()


def save_pickle(path: Path, obj: Any) -> None:
    """Pickle ``obj`` to ``path``, creating parent directories as needed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as fh:
        pickle.dump(obj, fh, protocol=pickle.HIGHEST_PROTOCOL)


def load_pickle(path: Path) -> Any:
    """Load a pickle written by :func:`save_pickle`.

    Only ever call this on files this process family wrote itself.
    """
    with path.open("rb") as fh:
        return pickle.load(fh)


def save_json(p: StrPath, data: Any) -> None:
    with open(p, "w", encoding="utf-8") as f:
        json.dump(data, f, indent=2, sort_keys=True)


def load_json(p: StrPath) -> Any:
    with open(p) as f:
        return json.load(f)


def load_json_or_default(p: StrPath, default: Any = None) -> Any:
    """Like :func:`load_json` but a missing or corrupt file yields ``default``."""
    try:
        with open(p, encoding="utf-8") as f:
            text = f.read()
    except (FileNotFoundError, UnicodeDecodeError):
        return default
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return default


def atomic_save_json(p: StrPath, data: Any) -> None:
    """Write ``data`` to ``p`` so that readers see either the old or the new file."""
    target = Path(p)
    tmp_name: str | None = None
    try:
        with tempfile.NamedTemporaryFile(
            "w", encoding="utf-8", dir=target.parent, prefix=f".{target.name}.", suffix=".tmp", delete=False
        ) as tmp:
            tmp_name = tmp.name
            json.dump(data, tmp, indent=2, sort_keys=True)
            tmp.flush()
            os.fsync(tmp.fileno())
        os.replace(tmp_name, target)
    except BaseException:
        if tmp_name is not None:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp_name)
        raise


def save_compressed_json(p: StrPath, data: Any) -> None:
    """Store a large JSON document gzip-compressed."""
    with gzip.open(p, "wt", encoding="utf-8") as f:
        json.dump(data, f, separators=(",", ":"))


def load_compressed_json(p: StrPath) -> Any:
    with gzip.open(p, "rt", encoding="utf-8") as f:
        return json.load(f)


def save_pickle_bz2(path: StrPath, obj: Any) -> None:
    """Pickle ``obj`` with bz2 compression (good for large, repetitive state)."""
    with bz2.open(path, "wb") as fh:
        pickle.dump(obj, fh, protocol=pickle.HIGHEST_PROTOCOL)


def load_pickle_bz2(path: StrPath) -> Any:
    with bz2.open(path, "rb") as fh:
        return pickle.load(fh)


def file_digest(p: StrPath) -> str:
    """SHA-256 of a file's content, hex encoded."""
    with open(p, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


class FileLock:
    """Advisory lock shared by every process that uses the same lock file.

    The lock file is opened on ``__enter__`` and closed (which also drops the
    ``flock``) on ``__exit__``.
    """

    def __init__(self, path: StrPath, *, timeout: float = 5.0, poll: float = 0.01) -> None:
        self.path = Path(path)
        self.timeout = timeout
        self.poll = poll
        self._fh: TextIO | None = None

    @property
    def locked(self) -> bool:
        return self._fh is not None

    def __enter__(self) -> "FileLock":
        if self._fh is not None:
            raise RuntimeError(f"{self.path} is already held by this FileLock")
        self._fh = open(self.path, "a", encoding="utf-8")
        deadline = time.monotonic() + self.timeout
        try:
            while True:
                try:
                    fcntl.flock(self._fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        raise TimeoutError(f"timed out waiting for {self.path}") from None
                    time.sleep(self.poll)
        except BaseException:
            self._fh.close()
            self._fh = None
            raise
        return self

    def __exit__(self, *exc_info: object) -> None:
        fcntl.flock(self._fh.fileno(), fcntl.LOCK_UN)
        self._fh.close()
        self._fh = None


class DiskCache:
    """A directory of pickles keyed by arbitrary strings.

    Keys are hashed to file names, so any string is a valid key. Values must
    be picklable.
    """

    def __init__(self, directory: StrPath) -> None:
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.hits = 0
        self.misses = 0

    def _path(self, key: str) -> Path:
        digest = hashlib.sha1(key.encode("utf-8")).hexdigest()
        return self.directory / digest[:2] / f"{digest}.pkl"

    def get(self, key: str, default: Any = None) -> Any:
        path = self._path(key)
        try:
            value = load_pickle(path)
        except FileNotFoundError:
            self.misses += 1
            return default
        self.hits += 1
        return value

    def set(self, key: str, value: Any) -> None:
        path = self._path(key)
        with FileLock(self.directory / ".lock"):
            try:
                save_pickle(path, value)
            except BaseException:
                # Never leave a truncated pickle behind for the next reader.
                with contextlib.suppress(FileNotFoundError):
                    path.unlink()
                raise

    def delete(self, key: str) -> bool:
        try:
            self._path(key).unlink()
        except FileNotFoundError:
            return False
        return True

    def __contains__(self, key: str) -> bool:
        return self._path(key).exists()

    def __iter__(self) -> Iterator[Path]:
        return iter(sorted(self.directory.glob("*/*.pkl")))

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def clear(self) -> int:
        """Remove every entry and return how many were removed."""
        removed = 0
        for path in list(self):
            path.unlink()
            removed += 1
        return removed

    def memoize(self, fn: Callable[..., T]) -> Callable[..., T]:
        """Cache ``fn``'s results keyed by its name and ``repr`` of its arguments."""

        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> T:
            key = f"{fn.__module__}.{fn.__qualname__}:{args!r}:{sorted(kwargs.items())!r}"
            value = self.get(key, _MISSING)
            if value is _MISSING:
                value = fn(*args, **kwargs)
                self.set(key, value)
            return value

        return wrapper
