"""Inspect artifact bundles that agent runs hand back.

A run leaves behind compressed transcripts (``.bz2``, ``.xz``), zip bundles of
attachments and tarballs of workspace snapshots.  The helpers here only read
them, to list, size and check what a bundle holds before anything is
extracted, and render small CSV/JSON-lines summaries through scratch files so
that a large bundle never has to be held in memory twice.
"""

from __future__ import annotations

import bz2
import csv
import json
import lzma
import tarfile
import tempfile
import zipfile
from os import PathLike
from typing import Any, BinaryIO, Iterable, Mapping, TextIO

StrPath = str | PathLike[str]

#: Columns of :func:`export_inventory`.
INVENTORY_FIELDS = ("bundle", "member", "size")


class BundleError(ValueError):
    """A bundle is damaged or not what it claims to be."""


# --- compressed transcripts -------------------------------------------------

def read_bz2_transcript(path: StrPath) -> str:
    """Whole text of a bzip2-compressed transcript."""
    with bz2.open(path, "rt", encoding="utf-8") as fh:
        text = fh.read()
    return text


def read_xz_lines(path: StrPath) -> list[str]:
    """Lines of an xz-compressed log, without their line ends."""
    with lzma.open(path, "rt", encoding="utf-8") as fh:
        lines = fh.read().splitlines()
    return lines


# --- zip bundles --------------------------------------------------------------

def zip_names(path: StrPath) -> list[str]:
    """Sorted member names of a zip bundle."""
    with zipfile.ZipFile(path) as zf:
        names = sorted(zf.namelist())
    return names


def zip_is_intact(path: StrPath) -> bool:
    """Whether every member of the bundle passes its CRC check."""
    with zipfile.ZipFile(path) as zf:
        return zf.testzip() is None


def zip_sizes(path: StrPath) -> dict[str, int]:
    """Uncompressed size of every file in the bundle, by name."""
    with zipfile.ZipFile(path) as zf:
        return {info.filename: info.file_size for info in zf.infolist() if not info.is_dir()}


# --- tar snapshots --------------------------------------------------------------

def tar_members(path: StrPath) -> list[tarfile.TarInfo]:
    """Every member header of a snapshot; a truncated snapshot raises :class:`tarfile.ReadError`."""
    with tarfile.open(path) as tar:
        members = tar.getmembers()
    return members


def tar_file_names(path: StrPath) -> list[str]:
    """Names of the regular files in a snapshot, in archive order."""
    with tarfile.open(path) as tar:
        return [m.name for m in tar.getmembers() if m.isfile()]


# --- summaries rendered through scratch files ---------------------------------

def _write_inventory(rows: Iterable[Mapping[str, Any]], out: TextIO) -> str:
    writer = csv.DictWriter(out, fieldnames=INVENTORY_FIELDS)
    writer.writeheader()
    writer.writerows(rows)
    out.seek(0)
    return out.read()


def export_inventory(rows: Iterable[Mapping[str, Any]]) -> str:
    """CSV text of ``rows`` (keys from :data:`INVENTORY_FIELDS`, no others)."""
    with tempfile.TemporaryFile("w+", encoding="utf-8", newline="") as scratch:
        text = _write_inventory(rows, scratch)
    return text


def _write_jsonl(records: Iterable[Any], out: BinaryIO) -> bytes:
    for record in records:
        out.write(json.dumps(record, sort_keys=True).encode("utf-8") + b"\n")
    out.seek(0)
    return out.read()


def encode_jsonl(records: Iterable[Any], *, max_memory: int = 64 * 1024) -> bytes:
    """``records`` as JSON lines; spills to disk past ``max_memory`` bytes."""
    with tempfile.SpooledTemporaryFile(max_size=max_memory) as spool:
        data = _write_jsonl(records, spool)
    return data


def manifest_jsonl(path: StrPath) -> bytes:
    """JSON lines ``{"member", "size"}`` for every file of a zip bundle."""
    return encode_jsonl({"member": name, "size": size} for name, size in zip_sizes(path).items())
