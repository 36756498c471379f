"""Scratch-space helpers for tools that need temporary files.

Agents routinely need somewhere to stage an upload, sort more data than fits
comfortably in memory, or hand a real path to a library that insists on one.
Every helper here cleans up after itself; :func:`write_scratch` is the one
exception and documents that the caller owns the returned path.
"""

from __future__ import annotations

import hashlib
import heapq
import json
import os
import shutil
import tempfile
from os import PathLike
from pathlib import Path
from typing import IO, Any, BinaryIO, Callable, Iterable, TypeVar

StrPath = str | PathLike[str]
T = TypeVar("T")

#: In-memory budget before spooled buffers roll over to disk.
SPOOL_LIMIT = 256 * 1024


def spool_jsonl(records: Iterable[Any], *, max_size: int = SPOOL_LIMIT) -> bytes:
    """Serialise ``records`` as JSON lines through a spooled buffer."""
    with tempfile.SpooledTemporaryFile(max_size=max_size, mode="w+b") as buf:
        for record in records:
            buf.write(json.dumps(record, sort_keys=True).encode("utf-8") + b"\n")
        buf.seek(0)
        return buf.read()


def spooled_digest(chunks: Iterable[bytes], *, max_size: int = SPOOL_LIMIT) -> tuple[str, bool]:
    """Buffer ``chunks`` and return (sha256, whether the buffer spilled to disk)."""
    with tempfile.SpooledTemporaryFile(max_size=max_size) as buf:
        for chunk in chunks:
            buf.write(chunk)
        rolled = buf._rolled  # noqa: SLF001 - no public accessor in the stdlib
        buf.seek(0)
        return hashlib.sha256(buf.read()).hexdigest(), rolled


def external_sort(lines: Iterable[str], *, chunk_lines: int = 1000) -> list[str]:
    """Sort text lines using sorted runs in anonymous temporary files."""
    runs = []
    try:
        chunk: list[str] = []
        for line in lines:
            if "\n" in line:
                raise ValueError("lines must not contain newlines")
            chunk.append(line)
            if len(chunk) >= chunk_lines:
                runs.append(_write_run(sorted(chunk)))
                chunk = []
        if chunk:
            runs.append(_write_run(sorted(chunk)))
        for run in runs:
            run.seek(0)
        merged = heapq.merge(*((line.rstrip("\n") for line in run) for run in runs))
        return list(merged)
    finally:
        for run in runs:
            run.close()


def _write_run(sorted_lines: list[str]) -> IO[str]:
    run = tempfile.TemporaryFile("w+", encoding="utf-8")  # noqa: SIM115  # closed by external_sort's finally
    try:
        run.writelines(line + "\n" for line in sorted_lines)
    except BaseException:
        run.close()
        raise
    return run


def copy_through_scratch(src: BinaryIO, dst: BinaryIO) -> int:
    """Copy a non-seekable stream via an anonymous file so ``dst`` sees the size first."""
    with tempfile.TemporaryFile() as scratch:
        shutil.copyfileobj(src, scratch)
        size = scratch.tell()
        dst.write(size.to_bytes(8, "big"))
        scratch.seek(0)
        shutil.copyfileobj(scratch, dst)
    return size


def checksum_stream(stream: BinaryIO) -> str:
    """Digest a stream after staging it in an anonymous temporary file."""
    with tempfile.TemporaryFile() as tmp:
        shutil.copyfileobj(stream, tmp)
        tmp.seek(0)
        return hashlib.sha256(tmp.read()).hexdigest()


def with_named_file(data: bytes, fn: Callable[[str], T], *, suffix: str = "") -> T:
    """Call ``fn`` with the path of a named temporary file holding ``data``."""
    with tempfile.NamedTemporaryFile(suffix=suffix) as tmp:
        tmp.write(data)
        tmp.flush()
        return fn(tmp.name)


def write_scratch(data: bytes, *, directory: StrPath | None = None, suffix: str = "") -> Path:
    """Persist ``data`` to a new private file and return its path (caller deletes it)."""
    fd, name = tempfile.mkstemp(dir=directory, suffix=suffix)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
    except BaseException:
        os.unlink(name)
        raise
    return Path(name)


def staged_json(data: Any, *, directory: StrPath | None = None) -> Path:
    """Write ``data`` to a named temporary JSON file that outlives the call."""
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", suffix=".json", dir=directory, delete=False) as tmp:
        try:
            json.dump(data, tmp)
        except BaseException:
            os.unlink(tmp.name)
            raise
    return Path(tmp.name)


def in_scratch_dir(fn: Callable[[Path], T]) -> T:
    """Run ``fn`` with a fresh private directory that is removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="agentkit-") as d:
        return fn(Path(d))
