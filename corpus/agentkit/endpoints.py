"""Endpoints a service holds open for the length of a job.

Every class here owns exactly one resource, acquired in ``__init__`` and
released by ``close()``; ``__enter__`` returns the object and ``__exit__``
calls ``close()``, so callers (see :mod:`agentkit.workflows`) write
``with AuditTrail(path) as trail: ...``.
"""

from __future__ import annotations

import csv
import json
import socket
import subprocess
import tarfile
import tempfile
from pathlib import Path


class AuditTrail:
    """Append JSON audit records, one per line, to a plain file."""

    def __init__(self, path: str) -> None:
        self._fh = open(path, "a", encoding="utf-8")

    def record(self, actor: str, action: str, **fields: object) -> None:
        entry = {"actor": actor, "action": action, **fields}
        self._fh.write(json.dumps(entry, sort_keys=True) + "\n")

    def close(self) -> None:
        self._fh.close()

    def __enter__(self) -> AuditTrail:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class CsvSink:
    """Write result rows to a CSV file with a fixed header."""

    def __init__(self, path: Path, header: list[str]) -> None:
        self._fh = path.open("w", newline="", encoding="utf-8")
        self._writer = csv.writer(self._fh)
        self._writer.writerow(header)
        self.width = len(header)

    def row(self, values: list[object]) -> None:
        if len(values) != self.width:
            raise ValueError(f"expected {self.width} values, got {len(values)}")
        self._writer.writerow(values)

    def close(self) -> None:
        self._fh.close()

    def __enter__(self) -> CsvSink:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class LineCursor:
    """Read a text file line by line, remembering how far it got."""

    def __init__(self, path: Path) -> None:
        self._fh = path.open(encoding="utf-8")
        self.lineno = 0

    def take(self, n: int) -> list[str]:
        out = []
        for _ in range(n):
            line = self._fh.readline()
            if not line:
                break
            self.lineno += 1
            out.append(line.rstrip("\n"))
        return out

    def close(self) -> None:
        self._fh.close()

    def __enter__(self) -> LineCursor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class LineClient:
    """A line-oriented TCP client: send one line, read one line back."""

    def __init__(self, addr: tuple[str, int]) -> None:
        self._sock = socket.create_connection(addr, timeout=2)
        self._buf = b""

    def ask(self, line: str) -> str:
        self._sock.sendall(line.encode() + b"\n")
        while b"\n" not in self._buf:
            chunk = self._sock.recv(4096)
            if not chunk:
                raise ConnectionError("server closed the connection")
            self._buf += chunk
        reply, _, self._buf = self._buf.partition(b"\n")
        return reply.decode()

    def close(self) -> None:
        self._sock.close()

    def __enter__(self) -> LineClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class MetricsPublisher:
    """Publish ``name:value|g`` gauges to a statsd-style UDP collector."""

    def __init__(self, addr: tuple[str, int], prefix: str = "agent") -> None:
        self.addr = addr
        self.prefix = prefix
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)

    def gauge(self, name: str, value: float) -> None:
        payload = f"{self.prefix}.{name}:{value:g}|g"
        self._sock.sendto(payload.encode("ascii"), self.addr)

    def close(self) -> None:
        self._sock.close()

    def __enter__(self) -> MetricsPublisher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class BatchFilter:
    """A child process filtering a batch of lines: all input first, then all output."""

    def __init__(self, argv: list[str]) -> None:
        self._proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)

    def run(self, lines: list[str]) -> list[str]:
        for line in lines:
            self._proc.stdin.write(line + "\n")
        self._proc.stdin.close()
        return [out.rstrip("\n") for out in self._proc.stdout]

    def close(self) -> None:
        self._proc.stdin.close()
        self._proc.stdout.close()
        self._proc.wait()

    def __enter__(self) -> BatchFilter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class OutputCollector:
    """Start a command and collect its standard output, counting lines."""

    def __init__(self, argv: list[str]) -> None:
        self._proc = subprocess.Popen(argv, stdout=subprocess.PIPE, text=True)
        self.count = 0

    def lines(self) -> list[str]:
        out = [line.rstrip("\n") for line in self._proc.stdout]
        self.count += len(out)
        return out

    def close(self) -> None:
        self._proc.stdout.close()
        self._proc.wait()

    def __enter__(self) -> OutputCollector:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class TarBrowser:
    """Browse a tar archive: list it and read text members."""

    def __init__(self, path: Path) -> None:
        self._tar = tarfile.open(path)

    def names(self) -> list[str]:
        return sorted(self._tar.getnames())

    def read_text(self, name: str) -> str:
        member = self._tar.extractfile(name)
        if member is None:
            raise IsADirectoryError(name)
        return member.read().decode("utf-8")

    def close(self) -> None:
        self._tar.close()

    def __enter__(self) -> TarBrowser:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class LayerReader:
    """Read an image layer (a tar, compressed or not) and report its file sizes."""

    def __init__(self, path: Path) -> None:
        self._tar = tarfile.open(path)

    def sizes(self) -> dict[str, int]:
        return {m.name: m.size for m in self._tar.getmembers() if m.isfile()}

    def close(self) -> None:
        self._tar.close()

    def __enter__(self) -> LayerReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class SpillBuffer:
    """Collect binary chunks in an anonymous temporary file, then hand them back."""

    def __init__(self) -> None:
        self._tmp = tempfile.TemporaryFile("w+b")
        self.size = 0

    def append(self, chunk: bytes) -> None:
        self.size += self._tmp.write(chunk)

    def drain(self) -> bytes:
        self._tmp.seek(0)
        return self._tmp.read()

    def close(self) -> None:
        self._tmp.close()

    def __enter__(self) -> SpillBuffer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class ResultStaging:
    """Stage JSON results in a temporary text file before publishing them."""

    def __init__(self, directory: str | None = None) -> None:
        self._tmp = tempfile.TemporaryFile("w+", encoding="utf-8", dir=directory)
        self.items = 0

    def add(self, result: dict) -> None:
        self._tmp.write(json.dumps(result) + "\n")
        self.items += 1

    def results(self) -> list[dict]:
        self._tmp.seek(0)
        return [json.loads(line) for line in self._tmp]

    def close(self) -> None:
        self._tmp.close()

    def __enter__(self) -> ResultStaging:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
