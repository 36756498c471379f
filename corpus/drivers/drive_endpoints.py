#!/usr/bin/env python3
"""Driver for agentkit/endpoints.py and agentkit/workflows.py (temporary directory, loopback only)."""

from __future__ import annotations

import contextlib
import io
import socket
import sys
import tarfile
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from agentkit import endpoints, workflows  # noqa: E402


@contextlib.contextmanager
def raises(exc: type[BaseException]) -> Iterator[None]:
    """Require the block to raise ``exc``; the exception is discarded."""
    try:
        yield
    except exc:
        return
    raise AssertionError(f"the block did not raise {exc.__name__}")


@contextlib.contextmanager
def echo_server() -> Iterator[tuple[str, int]]:
    """A loopback server answering each line with ``ok:<line>``; the line ``bye`` hangs up."""
    srv = socket.create_server(("127.0.0.1", 0))

    def serve() -> None:
        while True:
            try:
                conn, _ = srv.accept()
            except OSError:
                return
            with conn, conn.makefile("rb") as lines:
                for line in lines:
                    if line.strip() == b"bye":
                        break
                    conn.sendall(b"ok:" + line)

    t = threading.Thread(target=serve, daemon=True)
    t.start()
    try:
        yield srv.getsockname()
    finally:
        srv.shutdown(socket.SHUT_RDWR)  # wakes the accept() of the serving thread
        srv.close()
        t.join(timeout=5)


def make_tar(path: Path, members: dict[str, str], mode: str = "w") -> None:
    with tarfile.open(path, mode) as tf:
        for name, text in members.items():
            data = text.encode()
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tf.addfile(info, io.BytesIO(data))


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)

        trail = d / "audit.log"
        assert workflows.audit_actions(str(trail), "agent", ["plan", "act"]) == 2
        with raises(TypeError):
            workflows.audit_actions(str(trail), "agent", ["ok", None])
        with endpoints.AuditTrail(str(trail)) as t:
            t.record("driver", "check", ok=True)

        csv_path = d / "scores.csv"
        workflows.export_scores(csv_path, {"b": 0.5, "a": 1.0})
        assert csv_path.read_text().splitlines()[0] == "name,score"
        with raises(ValueError):
            workflows.export_scores(csv_path, {"a": "high"})
        with raises(ValueError):
            with endpoints.CsvSink(csv_path, ["x", "y"]) as sink:
                sink.row([1])

        text = d / "lines.txt"
        text.write_text("one\ntwo\nthree\n")
        assert workflows.first_lines(text, 2) == ["one", "two"]
        with raises(TypeError):
            workflows.first_lines(text, "2")
        with endpoints.LineCursor(text) as cur:
            assert cur.take(10) == ["one", "two", "three"]

        with echo_server() as addr:
            assert workflows.ask_all(addr, ["a", "b"]) == ["ok:a", "ok:b"]
            with raises(ConnectionError):
                workflows.ask_all(addr, ["a", "bye", "c"])
            with raises(AttributeError):
                workflows.ask_all(addr, [None])
            with endpoints.LineClient(addr) as client:
                assert client.ask("x") == "ok:x"

        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as rx:
            rx.bind(("127.0.0.1", 0))
            addr = rx.getsockname()
            workflows.publish_gauges(addr, {"queue": 3})
            assert rx.recv(100) == b"jobs.queue:3|g"
            with raises(ValueError):
                workflows.publish_gauges(addr, {"queue": "many"})
            with endpoints.MetricsPublisher(addr) as pub:
                pub.gauge("up", 1)

        assert workflows.shout(["hi", "there"]) == ["HI", "THERE"]
        with raises(TypeError):
            workflows.shout([None])
        assert workflows.child_lines("print('a'); print('b')") == ["a", "b"]
        with raises(ValueError):
            with endpoints.OutputCollector([sys.executable, "-I", "-S", "-c", "print(1)"]) as oc:
                oc.lines()
                raise ValueError("boom")

        archive = d / "docs.tar"
        make_tar(archive, {"readme.txt": "hello", "sub/notes.txt": "notes"})
        assert workflows.read_member(archive, "readme.txt") == "hello"
        with raises(KeyError):
            workflows.read_member(archive, "missing.txt")
        with endpoints.TarBrowser(archive) as tb:
            assert tb.names() == ["readme.txt", "sub/notes.txt"]

        layer = d / "layer.tar"
        make_tar(layer, {"bin/tool": "x" * 10, "etc/conf": "abc"})
        assert workflows.layer_total(layer) == 13
        zipped = d / "layer.tar.gz"
        make_tar(zipped, {"bin/tool": "x" * 10}, "w:gz")
        assert workflows.layer_total(zipped) == 10
        with raises(tarfile.ReadError):
            workflows.layer_total(text)
        with raises(ValueError):
            with endpoints.LayerReader(layer) as lr:
                lr.sizes()
                raise ValueError("boom")

        assert workflows.spill([b"ab", b"cd"]) == b"abcd"
        with raises(TypeError):
            workflows.spill([b"ab", "cd"])
        assert workflows.stage_results([{"n": 1}], tmp) == [{"n": 1}]
        with raises(TypeError):
            workflows.stage_results([{"n": object()}])
        with endpoints.SpillBuffer() as sb:
            sb.append(b"z")
        with endpoints.ResultStaging() as rs:
            rs.add({"k": "v"})
    return 0


if __name__ == "__main__":
    sys.exit(main())
