"""Small readers: each opens one source, reads what it needs and closes it.

Sources are compressed exports, archives, ``file://`` URLs, scratch
filesystems and loopback services.  Callers live in :mod:`agentkit.intake`.
"""

from __future__ import annotations

import bz2
import gzip
import json
import lzma
import os
import socket
import tarfile
import tempfile
import urllib.request
import zipfile
from pathlib import Path


def load_policy(path: Path) -> dict:
    with path.open(encoding="utf-8") as f:
        return json.load(f)


def read_bz2_text(path: Path) -> str:
    with bz2.open(path, "rt", encoding="utf-8") as f:
        return f.read()


def read_bz2_lines(path: Path) -> list[str]:
    with bz2.open(path, "rt", encoding="utf-8") as f:
        return f.read().splitlines()


def read_gz_text(path: Path) -> str:
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return f.read()


def read_xz_bytes(path: Path) -> bytes:
    with lzma.open(path) as f:
        return f.read()


def load_xz_json(path: Path) -> object:
    with lzma.open(path, "rt", encoding="utf-8") as f:
        return json.load(f)


def tar_names(path: Path) -> list[str]:
    with tarfile.open(path) as tf:
        return tf.getnames()


def tar_members(path: Path) -> list[tarfile.TarInfo]:
    with tarfile.open(path) as tf:
        return tf.getmembers()


def zip_names(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as zf:
        return zf.namelist()


def zip_infos(path: Path) -> list[zipfile.ZipInfo]:
    with zipfile.ZipFile(path) as zf:
        return zf.infolist()


def fetch_json(url: str) -> object:
    with urllib.request.urlopen(url) as resp:
        return json.load(resp)


def scratch_device(directory: str) -> int:
    """The device holding temporary files created in ``directory``."""
    with tempfile.TemporaryFile(dir=directory) as probe:
        return os.fstat(probe.fileno()).st_dev


def scratch_free_blocks(directory: str) -> int:
    """Blocks still available to unprivileged users on the scratch filesystem."""
    with tempfile.TemporaryFile(dir=directory) as probe:
        return os.fstatvfs(probe.fileno()).f_bavail


def scratch_block_size(directory: str) -> int:
    """The preferred I/O block size of scratch files in ``directory``."""
    with tempfile.TemporaryFile(dir=directory) as probe:
        return os.fstat(probe.fileno()).st_blksize


def read_banner(addr: tuple[str, int]) -> bytes:
    """The greeting a line service sends as soon as a client connects."""
    with socket.create_connection(addr, timeout=2) as conn:
        return conn.recv(256)


def load_hello(addr: tuple[str, int]) -> dict:
    """The JSON hello a service sends on connect (one datagram-sized message)."""
    with socket.create_connection(addr, timeout=2) as conn:
        return json.loads(conn.recv(4096))


def local_address(addr: tuple[str, int]) -> str:
    """The local address the system picks to reach ``addr``."""
    with socket.create_connection(addr, timeout=2) as conn:
        return conn.getsockname()[0]
