"""Long-lived readers, buffers, databases and worker pools a service keeps open.

Each class acquires its resources in ``__init__`` and releases every one of
them in ``close()`` (a pool is terminated); callers use ``try``/``finally``
or :func:`contextlib.closing`.
"""

from __future__ import annotations

import bz2
import gzip
import hashlib
import json
import lzma
import multiprocessing
import sqlite3
import tarfile
import tempfile
import urllib.request
import zipfile
from pathlib import Path


class IncidentBundle:
    """The three artifacts of an incident: gzip log, bz2 metrics CSV, xz trace."""

    def __init__(self, directory: Path) -> None:
        self._log = gzip.open(directory / "app.log.gz", "rt", encoding="utf-8")
        self._metrics = bz2.open(directory / "metrics.csv.bz2", "rt", encoding="utf-8")
        self._trace = lzma.open(directory / "trace.jsonl.xz", "rt", encoding="utf-8")

    def errors(self) -> list[str]:
        return [line.rstrip("\n") for line in self._log if " ERROR " in line]

    def peak(self, column: str) -> float:
        header = self._metrics.readline().rstrip("\n").split(",")
        idx = header.index(column)
        return max(float(row.split(",")[idx]) for row in self._metrics if row.strip())

    def spans(self) -> list[dict]:
        return [json.loads(line) for line in self._trace if line.strip()]

    def close(self) -> None:
        self._log.close()
        self._metrics.close()
        self._trace.close()


class LogComparer:
    """Compare two gzip-compressed logs line by line."""

    def __init__(self, old: Path, new: Path) -> None:
        self._old = gzip.open(old, "rt", encoding="utf-8")
        self._new = gzip.open(new, "rt", encoding="utf-8")

    def first_difference(self) -> int | None:
        for lineno, (a, b) in enumerate(zip(self._old, self._new), 1):
            if a != b:
                return lineno
        return None

    def close(self) -> None:
        self._old.close()
        self._new.close()


class MirrorChecker:
    """Check that a bz2 export and its xz mirror hold the same bytes."""

    def __init__(self, primary: Path, mirror: Path) -> None:
        self._primary = bz2.open(primary)
        self._mirror = lzma.open(mirror)

    def digests(self, chunk: int = 1 << 16) -> tuple[str, str]:
        out = []
        for stream in (self._primary, self._mirror):
            h = hashlib.sha256()
            while data := stream.read(chunk):
                h.update(data)
            out.append(h.hexdigest())
        return out[0], out[1]

    def close(self) -> None:
        self._primary.close()
        self._mirror.close()


class ColdIndex:
    """A bz2 key index over an xz blob: ``key<TAB>offset<TAB>length`` lines."""

    def __init__(self, index: Path, blob: Path) -> None:
        self._index = bz2.open(index, "rt", encoding="utf-8")
        self._blob = lzma.open(blob)
        self._offsets: dict[str, tuple[int, int]] = {}

    def load(self) -> int:
        for line in self._index:
            key, offset, length = line.rstrip("\n").split("\t")
            self._offsets[key] = (int(offset), int(length))
        return len(self._offsets)

    def get(self, key: str) -> bytes:
        offset, length = self._offsets[key]
        self._blob.seek(offset)
        return self._blob.read(length)

    def close(self) -> None:
        self._index.close()
        self._blob.close()


class PackageInspector:
    """Inspect a wheel (zip) and its source distribution (a tar, any compression) side by side."""

    def __init__(self, wheel: Path, sdist: Path) -> None:
        self._wheel = zipfile.ZipFile(wheel)
        self._sdist = tarfile.open(sdist)

    def missing_from_wheel(self) -> list[str]:
        shipped = set(self._wheel.namelist())
        sources = {m.name.split("/", 1)[-1] for m in self._sdist.getmembers() if m.name.endswith(".py")}
        return sorted(sources - shipped)

    def close(self) -> None:
        self._wheel.close()
        self._sdist.close()


class PluginRegistry:
    """Plugins packed in one zip: ``<name>/plugin.json`` describes each."""

    def __init__(self, path: Path) -> None:
        self._zip = zipfile.ZipFile(path)

    def plugins(self) -> dict[str, dict]:
        found = {}
        for name in self._zip.namelist():
            if name.endswith("/plugin.json"):
                found[name.split("/", 1)[0]] = json.loads(self._zip.read(name))
        return found

    def close(self) -> None:
        self._zip.close()


class UploadBody:
    """Request body kept in memory up to a limit, then spilled to disk."""

    def __init__(self, limit: int = 64 * 1024) -> None:
        self._buf = tempfile.SpooledTemporaryFile(max_size=limit)
        self.length = 0

    def feed(self, chunk: bytes) -> None:
        self.length += self._buf.write(chunk)

    def digest(self) -> str:
        self._buf.seek(0)
        return hashlib.sha256(self._buf.read()).hexdigest()

    def close(self) -> None:
        self._buf.close()


class ReportBuilder:
    """Build a text report in a spooled buffer."""

    def __init__(self, title: str) -> None:
        self._out = tempfile.SpooledTemporaryFile(max_size=8192, mode="w+", encoding="utf-8")
        self._out.write(f"# {title}\n")

    def section(self, heading: str, lines: list[str]) -> None:
        self._out.write(f"\n## {heading}\n")
        for line in lines:
            self._out.write(f"- {line}\n")

    def render(self) -> str:
        self._out.seek(0)
        return self._out.read()

    def close(self) -> None:
        self._out.close()


class ResponseRecorder:
    """Record model responses as JSON lines in a spooled buffer."""

    def __init__(self) -> None:
        self._log = tempfile.SpooledTemporaryFile(max_size=1 << 20, mode="w+")
        self.count = 0

    def record(self, prompt: str, response: str) -> None:
        self._log.write(json.dumps({"prompt": prompt, "response": response}) + "\n")
        self.count += 1

    def replay(self) -> list[dict]:
        self._log.seek(0)
        return [json.loads(line) for line in self._log]

    def close(self) -> None:
        self._log.close()


class FeedStream:
    """Lines of a feed read lazily from a URL (file:// in tests)."""

    def __init__(self, url: str) -> None:
        self._resp = urllib.request.urlopen(url)

    def lines(self, limit: int) -> list[str]:
        out = []
        for raw in self._resp:
            out.append(raw.decode("utf-8").rstrip("\n"))
            if len(out) == limit:
                break
        return out

    def close(self) -> None:
        self._resp.close()


class RemoteManifest:
    """A JSON manifest fetched from a URL; the response stays open for the length header."""

    def __init__(self, url: str) -> None:
        self._resp = urllib.request.urlopen(url)

    def size(self) -> int:
        return int(self._resp.headers.get("Content-length", "0"))

    def entries(self) -> list[str]:
        return list(json.load(self._resp)["entries"])

    def close(self) -> None:
        self._resp.close()


def _digest(path: str) -> str:
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def _word_count(text: str) -> int:
    return len(text.split())


def _square(n: int) -> int:
    return n * n


class DigestPool:
    """Digest many files on a small process pool."""

    def __init__(self, processes: int = 2) -> None:
        self._pool = multiprocessing.Pool(processes)

    def digests(self, paths: list[str]) -> dict[str, str]:
        return dict(zip(paths, self._pool.map(_digest, paths)))

    def close(self) -> None:
        self._pool.terminate()


class TokenEstimator:
    """Estimate token counts of documents on a process pool."""

    def __init__(self, processes: int = 1) -> None:
        self._workers = multiprocessing.Pool(processes)

    def estimate(self, docs: list[str]) -> int:
        return sum(self._workers.map(_word_count, docs))

    def close(self) -> None:
        self._workers.terminate()


class BatchEvaluator:
    """Evaluate a batch asynchronously on a process pool."""

    def __init__(self, processes: int = 1) -> None:
        self._pool = multiprocessing.Pool(processes)

    def squares(self, values: list[int], timeout: float = 10.0) -> list[int]:
        return self._pool.map_async(_square, values).get(timeout)

    def close(self) -> None:
        self._pool.terminate()


class MetricsDB:
    """Time series of named metrics in SQLite."""

    def __init__(self, path: str) -> None:
        self._conn = sqlite3.connect(path)
        with self._conn:
            self._conn.execute("CREATE TABLE IF NOT EXISTS m (name TEXT, ts REAL, value REAL)")

    def add(self, name: str, ts: float, value: float) -> None:
        with self._conn:
            self._conn.execute("INSERT INTO m VALUES (?, ?, ?)", (name, ts, value))

    def mean(self, name: str) -> float | None:
        return self._conn.execute("SELECT avg(value) FROM m WHERE name = ?", (name,)).fetchone()[0]

    def close(self) -> None:
        self._conn.close()


class SessionIndex:
    """Which conversation sessions exist and when they were last active."""

    def __init__(self, path: str) -> None:
        self._db = sqlite3.connect(path)
        self._db.execute("CREATE TABLE IF NOT EXISTS s (id TEXT PRIMARY KEY, seen REAL)")

    def touch(self, session: str, when: float) -> None:
        with self._db:
            self._db.execute("INSERT OR REPLACE INTO s VALUES (?, ?)", (session, when))

    def stale(self, before: float) -> list[str]:
        rows = self._db.execute("SELECT id FROM s WHERE seen < ? ORDER BY id", (before,))
        return [r[0] for r in rows]

    def close(self) -> None:
        self._db.close()


class KeyValueStore:
    """A small string-to-JSON store in SQLite."""

    def __init__(self, path: str) -> None:
        self._conn = sqlite3.connect(path, timeout=5)
        self._conn.execute("CREATE TABLE IF NOT EXISTS kv (k TEXT PRIMARY KEY, v TEXT)")

    def put(self, key: str, value: object) -> None:
        with self._conn:
            self._conn.execute("INSERT OR REPLACE INTO kv VALUES (?, ?)", (key, json.dumps(value)))

    def get(self, key: str) -> object:
        row = self._conn.execute("SELECT v FROM kv WHERE k = ?", (key,)).fetchone()
        if row is None:
            raise KeyError(key)
        return json.loads(row[0])

    def close(self) -> None:
        self._conn.close()
