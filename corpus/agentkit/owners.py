"""Resource-owning helpers of long-running services.

Each class owns one resource in an attribute, releases it in ``close()`` (or
``wait()``) and supports ``with``.  The module-level readers return contents
only; callers live in ``agentkit.sessions``.
"""

from __future__ import annotations

import io
import json
import socket
import subprocess
import tarfile
import tempfile
import urllib.request
import zipfile
from pathlib import Path


class TelemetryEmitter:
    """Send JSON datagrams to a collector over UDP."""

    def __init__(self, addr: tuple[str, int]) -> None:
        self.addr = addr
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)

    def emit(self, event: dict) -> int:
        return self._sock.sendto(json.dumps(event).encode(), self.addr)

    def close(self) -> None:
        self._sock.close()

    def __enter__(self) -> TelemetryEmitter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class ProcessTailer:
    """Run a child process and collect its standard output line by line."""

    def __init__(self, argv: list[str]) -> None:
        self._proc = subprocess.Popen(argv, stdout=subprocess.PIPE, text=True)

    def lines(self) -> list[str]:
        out = []
        for line in self._proc.stdout:
            out.append(line.rstrip("\n"))
        return out

    def stop(self) -> int:
        self._proc.stdout.close()
        self._proc.wait()
        return self._proc.returncode

    def __enter__(self) -> ProcessTailer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


class BundleWriter:
    """Write text members into an uncompressed tar bundle."""

    def __init__(self, path: Path) -> None:
        self._tar = tarfile.open(path, "w")

    def add_text(self, name: str, text: str) -> None:
        data = text.encode()
        info = tarfile.TarInfo(name)
        info.size = len(data)
        self._tar.addfile(info, io.BytesIO(data))

    def close(self) -> None:
        self._tar.close()

    def __enter__(self) -> BundleWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class ScratchBuffer:
    """An anonymous temporary file used to stage large outputs."""

    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile("w+", encoding="utf-8")

    def write(self, text: str) -> None:
        self._file.write(text)

    def getvalue(self) -> str:
        self._file.seek(0)
        return self._file.read()

    def close(self) -> None:
        self._file.close()

    def __enter__(self) -> ScratchBuffer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class JournalFile:
    """Append-only journal kept in a pathlib path."""

    def __init__(self, path: Path) -> None:
        self._fh = path.open("a", encoding="utf-8")

    def record(self, line: str) -> None:
        self._fh.write(line + "\n")

    def close(self) -> None:
        self._fh.close()

    def __enter__(self) -> JournalFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class FeedReader:
    """Read a feed served by a URL (file:// in tests)."""

    def __init__(self, url: str) -> None:
        self._resp = urllib.request.urlopen(url)

    def read_text(self) -> str:
        return self._resp.read().decode()

    def close(self) -> None:
        self._resp.close()

    def __enter__(self) -> FeedReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class ArchiveIndex:
    """Keep a zip archive open to answer member lookups."""

    def __init__(self, path: Path) -> None:
        self._zip = zipfile.ZipFile(path)

    def names(self) -> list[str]:
        return self._zip.namelist()

    def close(self) -> None:
        self._zip.close()


def read_prompt(path: str) -> str:
    with io.open(path, encoding="utf-8") as f:
        return f.read()


def read_manifest(path: str) -> str:
    with io.open(path, encoding="utf-8") as f:
        text = f.read()
    return text


def read_feed(url: str) -> bytes:
    with urllib.request.urlopen(url) as resp:
        return resp.read()


def send_payload(addr: tuple[str, int], payload: bytes) -> None:
    with socket.create_connection(addr, timeout=2) as conn:
        conn.sendall(payload)


def zip_names(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as zf:
        return zf.namelist()


def stage_json(obj: object) -> None:
    with tempfile.TemporaryFile("w+") as tmp:
        json.dump(obj, tmp)
