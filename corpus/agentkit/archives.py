"""Archive and compression helpers for agent artifacts.

Runs produce directories of outputs that get shipped as tarballs or zip files,
and logs that get compressed individually. Readers here never extract paths
outside the destination directory.
"""

from __future__ import annotations

import bz2
import gzip as gz
import lzma
import shutil
import tarfile
import zipfile
from os import PathLike
from pathlib import Path
from typing import IO, Any, Iterable

StrPath = str | PathLike[str]

_OPENERS = {".gz": gz.open, ".bz2": bz2.open, ".xz": lzma.open}


class UnsafeArchiveError(ValueError):
    """An archive member would be written outside the destination."""


# --- tar ------------------------------------------------------------------

def pack_directory(src_dir: StrPath, dest: StrPath, *, compression: str = "gz") -> list[str]:
    """Pack every file under ``src_dir`` into ``dest``; returns the member names."""
    root = Path(src_dir)
    names = []
    with tarfile.open(dest, f"w:{compression}") as tar:
        for path in sorted(root.rglob("*")):
            if path.is_symlink():
                raise UnsafeArchiveError(f"refusing to pack symlink {path}")
            if path.is_file():
                arcname = path.relative_to(root).as_posix()
                tar.add(path, arcname=arcname, recursive=False)
                names.append(arcname)
    return names


def list_tar(archive: StrPath) -> list[str]:
    with tarfile.open(archive) as tar:
        return tar.getnames()


def read_tar_member(archive: StrPath, name: str) -> bytes:
    """Return the content of one regular-file member."""
    with tarfile.open(archive) as tar:
        member = tar.getmember(name)
        fh = tar.extractfile(member)
        if fh is None:
            raise ValueError(f"{name} is not a regular file")
        with fh:
            return fh.read()


def safe_extract(archive: StrPath, dest: StrPath) -> list[Path]:
    """Extract regular files and directories, refusing links and path escapes."""
    target = Path(dest).resolve()
    target.mkdir(parents=True, exist_ok=True)
    extracted = []
    with tarfile.open(archive) as tar:
        members = tar.getmembers()
        for member in members:
            out = (target / member.name).resolve()
            if not out.is_relative_to(target) or not (member.isfile() or member.isdir()):
                raise UnsafeArchiveError(member.name)
        for member in members:
            if member.isdir():
                (target / member.name).mkdir(parents=True, exist_ok=True)
                continue
            out = target / member.name
            out.parent.mkdir(parents=True, exist_ok=True)
            with tar.extractfile(member) as src, open(out, "wb") as dst:
                shutil.copyfileobj(src, dst)
            extracted.append(out)
    return extracted


# --- zip ------------------------------------------------------------------

def zip_paths(paths: Iterable[StrPath], dest: StrPath) -> int:
    """Store ``paths`` (flattened to their base names) in a deflated zip."""
    count = 0
    with zipfile.ZipFile(dest, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for p in paths:
            p = Path(p)
            zf.write(p, arcname=p.name)
            count += 1
    return count


def read_zip_member(archive: StrPath, name: str) -> bytes:
    with zipfile.ZipFile(archive) as zf:
        with zf.open(name) as member:
            return member.read()


def zip_manifest(archive: StrPath) -> dict[str, dict[str, Any]]:
    """Name -> size/CRC for every member, after verifying all CRCs."""
    with zipfile.ZipFile(archive) as zf:
        bad = zf.testzip()
        if bad is not None:
            raise zipfile.BadZipFile(f"{archive}: corrupt member {bad}")
        return {info.filename: {"size": info.file_size, "crc": info.CRC} for info in zf.infolist()}


def append_to_zip(archive: StrPath, name: str, data: bytes) -> None:
    with zipfile.ZipFile(archive, "a", compression=zipfile.ZIP_DEFLATED) as zf:
        if name in zf.namelist():
            raise FileExistsError(f"{archive}: {name} already present")
        zf.writestr(name, data)


# --- single-file compression ---------------------------------------------

def gzip_file(src: StrPath, dest: StrPath) -> int:
    """Gzip ``src`` into ``dest``; returns the compressed size."""
    with open(src, "rb") as fin, gz.open(dest, "wb") as fout:
        shutil.copyfileobj(fin, fout)
    return Path(dest).stat().st_size


def gunzip_text(path: StrPath) -> str:
    with gz.open(path, "rt", encoding="utf-8") as f:
        return f.read()


def bz2_write_lines(path: StrPath, lines: Iterable[str]) -> None:
    with bz2.open(path, "wt", encoding="utf-8") as f:
        for line in lines:
            f.write(line + "\n")


def bz2_read_lines(path: StrPath) -> list[str]:
    with bz2.open(path, "rt", encoding="utf-8") as f:
        return [line.rstrip("\n") for line in f]


def xz_file(src: StrPath, dest: StrPath, *, preset: int = 6) -> int:
    """Compress ``src`` with xz; returns the number of input bytes."""
    with open(src, "rb") as fin, lzma.open(dest, "wb", preset=preset) as fout:
        shutil.copyfileobj(fin, fout)
        return fin.tell()


def unxz_bytes(path: StrPath) -> bytes:
    with lzma.open(path) as f:
        return f.read()


def open_compressed(path: StrPath, mode: str = "rt") -> IO[Any]:
    """Open ``path`` with the codec its suffix implies (plain ``open`` otherwise).

    The caller owns the returned stream.
    """
    opener = _OPENERS.get(Path(path).suffix, open)
    if "t" in mode:
        return opener(path, mode, encoding="utf-8")
    return opener(path, mode)


def count_lines(path: StrPath) -> int:
    with open_compressed(path) as f:
        return sum(1 for _ in f)


def recompress(src: StrPath, dest: StrPath) -> None:
    """Convert between any two supported codecs based on the file suffixes."""
    with open_compressed(src, "rb") as fin, open_compressed(dest, "wb") as fout:
        shutil.copyfileobj(fin, fout)
