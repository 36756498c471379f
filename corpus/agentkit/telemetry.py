"""Metrics, notifications and remote settings for a running agent.

- metrics go out as statsd-style UDP datagrams (``name:value|c``), one per
  call, fire-and-forget;
- notifications are one line over a short TCP connection to a local relay;
  :func:`read_banner` asks a relay who it is;
- remote settings and feature flags are fetched by URL (the deployment
  serves them as ``file://`` documents in the shared workspace);
- :func:`batch_payload` renders a batch of events through a spooled scratch
  buffer, and :func:`reserve_dump_path` reserves a unique file name for a
  later dump.
"""

from __future__ import annotations

import json
import socket
import tempfile
import urllib.request
from os import PathLike
from typing import Any, Iterable, Mapping
from urllib.request import urlopen

StrPath = str | PathLike[str]
Address = tuple[str, int]

#: Largest payload a UDP datagram over IPv4 can carry.
MAX_DATAGRAM = 65507


class TelemetryError(RuntimeError):
    """A document fetched for telemetry is unusable."""


# --- metrics and notifications ----------------------------------------------------

def format_metric(name: str, value: int | float, kind: str = "c") -> bytes:
    return f"{name}:{value}|{kind}".encode("ascii")


def send_datagram(addr: Address, payload: bytes) -> int:
    """Send one datagram; payloads over :data:`MAX_DATAGRAM` fail with ``OSError`` (EMSGSIZE)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sent = sock.sendto(payload, addr)
    return sent


def emit_counter(addr: Address, name: str, value: int = 1) -> int:
    return send_datagram(addr, format_metric(name, value))


def notify(addr: Address, message: bytes, *, timeout: float = 2.0) -> None:
    """Deliver one notification line to the relay at ``addr``."""
    with socket.create_connection(addr, timeout=timeout) as conn:
        conn.sendall(message.rstrip(b"\n") + b"\n")


def read_banner(addr: Address, *, timeout: float = 2.0, limit: int = 256) -> bytes:
    """First bytes the relay sends after accepting a connection."""
    with socket.create_connection(addr, timeout=timeout) as conn:
        return conn.recv(limit)


# --- remote settings ------------------------------------------------------------

def fetch_settings(url: str, *, timeout: float = 5.0) -> dict[str, Any]:
    """A JSON object published at ``url``."""
    with urllib.request.urlopen(url, timeout=timeout) as resp:
        doc = json.load(resp)
    if not isinstance(doc, dict):
        raise TelemetryError(f"{url}: settings must be a JSON object")
    return doc


def fetch_flags(url: str) -> set[str]:
    """Feature flags, one per line; blank lines and ``#`` comments are ignored."""
    with urlopen(url) as resp:
        lines = [raw.decode("utf-8").strip() for raw in resp]
    return {line for line in lines if line and not line.startswith("#")}


def fetch_text(url: str, *, encoding: str = "utf-8") -> str:
    with urllib.request.urlopen(url) as resp:
        body = resp.read().decode(encoding)
    return body


# --- batches and dumps ------------------------------------------------------------

def _encode_events(events: Iterable[Mapping[str, Any]], out: Any) -> bytes:
    for event in events:
        out.write(json.dumps(event, separators=(",", ":")).encode("utf-8"))
        out.write(b"\n")
    out.seek(0)
    return out.read()


def batch_payload(events: Iterable[Mapping[str, Any]], *, max_memory: int = 32 * 1024) -> bytes:
    """Newline-delimited compact JSON of ``events``."""
    with tempfile.SpooledTemporaryFile(max_size=max_memory) as buf:
        return _encode_events(events, buf)


def reserve_dump_path(directory: StrPath, *, prefix: str = "telemetry-") -> str:
    """Create an empty, uniquely named ``.json`` file in ``directory`` and return its path."""
    with tempfile.NamedTemporaryFile(prefix=prefix, suffix=".json", dir=directory, delete=False) as tmp:
        path = tmp.name
    return path
