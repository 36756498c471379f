"""Loopback networking for local agent services.

:class:`LineServer` is a tiny line-oriented TCP service that a supervisor
runs on 127.0.0.1 so sibling processes can probe it. The client helpers speak
its protocol::

    PING            -> OK PONG
    ECHO <text>     -> OK <text>
    STATS           -> OK {"served": ..., "requests": ...}
    anything else   -> ERR unknown command

Everything binds to the loopback interface only.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from socket import socket as Sock
from typing import Any

LOOPBACK = "127.0.0.1"
Address = tuple[str, int]

#: Largest single line either side accepts.
MAX_LINE = 64 * 1024


class ProtocolError(Exception):
    """The peer answered with ``ERR`` or with something unparseable."""


def _recv_line(sock: socket.socket) -> bytes:
    """Read one ``\\n``-terminated line (without the terminator) from ``sock``."""
    chunks = bytearray()
    while not chunks.endswith(b"\n"):
        chunk = sock.recv(4096)
        if not chunk:
            raise ProtocolError("connection closed before end of line")
        chunks += chunk
        if len(chunks) > MAX_LINE:
            raise ProtocolError("line too long")
    return bytes(chunks[:-1])


def _parse_reply(reply: bytes) -> bytes:
    status, _, body = reply.partition(b" ")
    if status != b"OK":
        raise ProtocolError(body.decode("utf-8", "replace") or reply.decode("utf-8", "replace"))
    return body


class LineServer:
    """Single-threaded loopback server answering the line protocol above.

    The listening socket is created in ``__init__`` and released by
    :meth:`stop` (also called by ``__exit__``).
    """

    def __init__(self, host: str = LOOPBACK, port: int = 0, *, poll_interval: float = 0.02) -> None:
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            self._sock.bind((host, port))
            self._sock.listen(16)
            self._sock.settimeout(poll_interval)
        except BaseException:
            self._sock.close()
            raise
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._served = 0
        self._requests = 0

    @property
    def address(self) -> Address:
        host, port = self._sock.getsockname()[:2]
        return host, port

    @property
    def served(self) -> int:
        with self._lock:
            return self._served

    def start(self) -> "LineServer":
        if self._thread is not None:
            raise RuntimeError("server already started")
        self._thread = threading.Thread(target=self._serve, name="line-server", daemon=True)
        self._thread.start()
        return self

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _peer = self._sock.accept()
            except TimeoutError:
                continue
            except OSError:
                break
            with conn:
                conn.settimeout(1.0)
                try:
                    self._handle(conn)
                except (OSError, ValueError):
                    pass  # a misbehaving client must not take the server down
            with self._lock:
                self._served += 1

    def _handle(self, conn: socket.socket) -> None:
        with conn.makefile("rwb") as stream:
            for line in stream:
                reply = self.dispatch(line.rstrip(b"\r\n"))
                stream.write(reply + b"\n")
                stream.flush()

    def dispatch(self, line: bytes) -> bytes:
        """Answer one request line (exposed for unit tests)."""
        with self._lock:
            self._requests += 1
            stats = {"served": self._served, "requests": self._requests}
        command, _, arg = line.partition(b" ")
        if command == b"PING":
            return b"OK PONG"
        if command == b"ECHO":
            return b"OK " + arg
        if command == b"STATS":
            return b"OK " + json.dumps(stats, sort_keys=True).encode()
        return b"ERR unknown command"

    def stop(self) -> None:
        """Stop serving and close the listening socket. Idempotent."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        self._sock.close()

    def __enter__(self) -> "LineServer":
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


def request(address: Address, line: bytes, *, timeout: float = 2.0) -> bytes:
    """Send one request line and return the body of an ``OK`` reply."""
    with socket.create_connection(address, timeout=timeout) as sock:
        sock.sendall(line + b"\n")
        reply = _recv_line(sock)
        return _parse_reply(reply)


def ping(address: Address, *, timeout: float = 1.0) -> bool:
    with socket.create_connection(address, timeout=timeout) as sock:
        sock.sendall(b"PING\n")
        return _recv_line(sock) == b"OK PONG"


def stats(address: Address, *, timeout: float = 2.0) -> dict[str, Any]:
    with socket.create_connection(address, timeout=timeout) as sock:
        sock.sendall(b"STATS\n")
        body = _parse_reply(_recv_line(sock))
        return json.loads(body)


def send_many(address: Address, lines: list[bytes], *, timeout: float = 2.0) -> list[bytes]:
    """Send several requests over one connection, returning each reply body."""
    replies = []
    with (
        socket.create_connection(address, timeout=timeout) as sock,
        sock.makefile("rwb") as stream,
    ):
        for line in lines:
            stream.write(line + b"\n")
            stream.flush()
            reply = stream.readline()
            if not reply.endswith(b"\n"):
                raise ProtocolError("connection closed mid-reply")
            replies.append(_parse_reply(reply[:-1]))
    return replies


def wait_for_port(address: Address, *, timeout: float = 2.0, interval: float = 0.02) -> bool:
    """Poll until something accepts connections on ``address`` or ``timeout`` passes."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with socket.create_connection(address, timeout=interval * 5):
                return True
        except OSError:
            if time.monotonic() >= deadline:
                return False
            time.sleep(interval)


def self_test(*, timeout: float = 1.0) -> bool:
    """Start a throwaway server and check a full round trip through it."""
    with LineServer() as server:
        return ping(server.address, timeout=timeout) and request(server.address, b"ECHO ok", timeout=timeout) == b"ok"


def reserve_port(host: str = LOOPBACK) -> int:
    """Ask the kernel for a currently free TCP port on ``host``."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def port_in_use(port: int, host: str = LOOPBACK) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.settimeout(0.2)
        return s.connect_ex((host, port)) == 0


def udp_roundtrip(payload: bytes, *, timeout: float = 1.0) -> bytes:
    """Send ``payload`` over loopback UDP to ourselves and return what arrived."""
    with Sock(socket.AF_INET, socket.SOCK_DGRAM) as rx, Sock(socket.AF_INET, socket.SOCK_DGRAM) as tx:
        rx.bind((LOOPBACK, 0))
        rx.settimeout(timeout)
        tx.sendto(payload, rx.getsockname())
        data, _ = rx.recvfrom(65535)
        if data != payload:
            raise ProtocolError("datagram corrupted in transit")
        return data


def udp_listener(port: int = 0) -> Sock:
    """Return a bound UDP socket; the caller owns it (use it in ``with``)."""
    sock = Sock(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        sock.bind((LOOPBACK, port))
    except BaseException:
        sock.close()
        raise
    return sock


def framed_exchange(messages: list[bytes]) -> list[bytes]:
    """Round-trip length-prefixed frames through a connected socket pair.

    Used by worker supervisors to check the in-process channel before
    handing one end to a child.
    """
    left, right = socket.socketpair()
    with left, right:
        received = []
        for message in messages:
            left.sendall(len(message).to_bytes(4, "big") + message)
            size = int.from_bytes(_recv_exact(right, 4), "big")
            received.append(_recv_exact(right, size))
        return received


def _recv_exact(sock: socket.socket, n: int) -> bytes:
    buf = bytearray()
    while len(buf) < n:
        chunk = sock.recv(n - len(buf))
        if not chunk:
            raise ProtocolError("peer closed mid-frame")
        buf += chunk
    return bytes(buf)
