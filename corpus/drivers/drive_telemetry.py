#!/usr/bin/env python3
"""Driver for agentkit/telemetry.py: UDP metrics, a loopback TCP relay, file:// settings.

The relay is a listener on 127.0.0.1 served by one thread; the metrics
receiver is a UDP socket on 127.0.0.1.  Nothing leaves the machine.
"""

from __future__ import annotations

import json
import os
import queue
import socket
import sys
import tempfile
import threading
import urllib.error
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from agentkit import telemetry  # noqa: E402

BANNER = b"relay 1.0\n"


def expect(exc: type[BaseException], fn, *args, **kwargs) -> None:
    """Call ``fn`` and require it to raise ``exc``; the exception is discarded."""
    try:
        fn(*args, **kwargs)
    except exc:
        return
    raise AssertionError(f"{getattr(fn, '__qualname__', fn)} did not raise {exc.__name__}")


class Relay:
    """Loopback relay on one thread.

    With ``greet``, it sends BANNER to each connection and hangs up; without,
    it reads each connection to its end and queues the lines it sent.
    """

    def __init__(self, *, greet: bool = False) -> None:
        self.greet = greet
        self.lines: queue.Queue[bytes] = queue.Queue()
        self._server = socket.create_server(("127.0.0.1", 0))
        self._server.settimeout(0.05)
        self.address = self._server.getsockname()[:2]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def __enter__(self) -> "Relay":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self._server.close()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._server.accept()
            except TimeoutError:
                continue
            with conn:
                conn.settimeout(1.0)
                try:
                    if self.greet:
                        conn.sendall(BANNER)
                        continue
                    data = b""
                    while chunk := conn.recv(4096):
                        data += chunk
                except OSError:
                    continue
            for line in data.splitlines():
                self.lines.put(line)


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="drive-telemetry-") as tmp:
        root = Path(tmp)

        # Metrics over UDP to a loopback receiver.
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as receiver:
            receiver.bind(("127.0.0.1", 0))
            receiver.settimeout(1.0)
            addr = receiver.getsockname()
            assert telemetry.emit_counter(addr, "tool.calls", 2) == len(b"tool.calls:2|c")
            assert receiver.recv(1024) == b"tool.calls:2|c"
            assert telemetry.send_datagram(addr, b"x" * 100) == 100
            assert receiver.recv(1024) == b"x" * 100
            expect(OSError, telemetry.send_datagram, addr, b"x" * (telemetry.MAX_DATAGRAM + 1))

        # Notifications and banners through the relay.
        with Relay() as relay:
            telemetry.notify(relay.address, b"run 7 finished\n")
            assert relay.lines.get(timeout=2.0) == b"run 7 finished"
            expect(TypeError, telemetry.notify, relay.address, "not bytes")
        with Relay(greet=True) as relay:
            assert telemetry.read_banner(relay.address) == BANNER

        # Remote settings served as file:// documents.
        settings = root / "settings.json"
        settings.write_text(json.dumps({"sample_rate": 0.5}), encoding="utf-8")
        assert telemetry.fetch_settings(settings.as_uri()) == {"sample_rate": 0.5}
        (root / "list.json").write_text("[1, 2]", encoding="utf-8")
        expect(telemetry.TelemetryError, telemetry.fetch_settings, (root / "list.json").as_uri())
        (root / "broken.json").write_text("{", encoding="utf-8")
        expect(json.JSONDecodeError, telemetry.fetch_settings, (root / "broken.json").as_uri())
        expect(urllib.error.URLError, telemetry.fetch_settings, (root / "missing.json").as_uri())

        flags = root / "flags.txt"
        flags.write_text("# rollout\nfast-path\n\nbatch-upload\n", encoding="utf-8")
        assert telemetry.fetch_flags(flags.as_uri()) == {"fast-path", "batch-upload"}
        (root / "latin1.txt").write_bytes(b"caf\xe9\n")
        expect(UnicodeDecodeError, telemetry.fetch_flags, (root / "latin1.txt").as_uri())
        assert telemetry.fetch_text(flags.as_uri()).startswith("# rollout")
        assert telemetry.fetch_text((root / "latin1.txt").as_uri(), encoding="latin-1") == "caf\xe9\n"
        expect(UnicodeDecodeError, telemetry.fetch_text, (root / "latin1.txt").as_uri())

        # Batches and dump paths.
        events = [{"event": "start", "run": 7}, {"event": "stop", "run": 7}]
        assert telemetry.batch_payload(events) == b'{"event":"start","run":7}\n{"event":"stop","run":7}\n'
        assert telemetry.batch_payload(events * 100, max_memory=64).count(b"\n") == 200
        expect(TypeError, telemetry.batch_payload, [{"at": object()}])
        dump = telemetry.reserve_dump_path(root)
        assert os.path.getsize(dump) == 0 and Path(dump).name.startswith("telemetry-")
        expect(FileNotFoundError, telemetry.reserve_dump_path, root / "missing")
    return 0


if __name__ == "__main__":
    sys.exit(main())
