#!/usr/bin/env python3
"""Driver for agentkit/owners.py and agentkit/sessions.py (temporary directory, loopback only)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
import socket
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from agentkit import owners, sessions  # noqa: E402


@contextlib.contextmanager
def raises(exc: type[BaseException]) -> Iterator[None]:
    """Require the block to raise ``exc``; the exception is discarded."""
    try:
        yield
    except exc:
        return
    raise AssertionError(f"the block did not raise {exc.__name__}")


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as rx:
            rx.bind(("127.0.0.1", 0))
            addr = rx.getsockname()
            assert sessions.report(addr, [{"a": 1}, {"b": 2}]) > 0
            with raises(TypeError):
                sessions.report(addr, [{"x": object()}])
            with owners.TelemetryEmitter(addr) as em:
                em.emit({"c": 3})

        assert sessions.tail_child("print('one'); print('two')") == ["one", "two"]
        with raises(ValueError):
            with owners.ProcessTailer([sys.executable, "-c", "print(1)"]) as t:
                t.lines()
                raise ValueError("boom")

        tar = d / "b.tar"
        sessions.bundle(tar, {"a.txt": "alpha", "b.txt": "beta"})
        with tarfile.open(tar) as tf:
            assert sorted(tf.getnames()) == ["a.txt", "b.txt"]
        with raises(AttributeError):
            sessions.bundle(d / "c.tar", {"a.txt": None})

        assert sessions.stage(["x", "y"]) == "xy"
        with raises(TypeError):
            sessions.stage(["x", 1])
        owners.stage_json({"k": [1, 2]})
        with raises(TypeError):
            owners.stage_json({"k": object()})

        j = d / "journal.log"
        sessions.journal(j, ["one", "two"])
        assert j.read_text().splitlines() == ["one", "two"]
        with raises(TypeError):
            sessions.journal(j, ["ok", 3])

        feed = d / "feed.txt"
        feed.write_text("hello feed\n")
        url = feed.as_uri()
        assert sessions.fetch_feed(url) == "hello feed\n"
        assert sessions.feed_size(url) == len("hello feed\n")
        with raises(ValueError):
            with owners.FeedReader(url) as fr:
                fr.read_text()
                raise ValueError("boom")

        prompt = d / "prompt.txt"
        prompt.write_text("  be brief  \nline2\n")
        assert sessions.system_prompt(str(prompt)).startswith("be brief")
        assert sessions.manifest_lines(str(prompt)) == ["  be brief  ", "line2"]

        zpath = d / "z.zip"
        with zipfile.ZipFile(zpath, "w") as zf:
            zf.writestr("m.txt", "member")
        assert owners.zip_names(zpath) == ["m.txt"]
        idx = owners.ArchiveIndex(zpath)
        try:
            assert idx.names() == ["m.txt"]
        finally:
            idx.close()

        with socket.create_server(("127.0.0.1", 0)) as srv:
            srv_addr = srv.getsockname()
            owners.send_payload(srv_addr, b"ping\n")
            conn, _ = srv.accept()
            with conn:
                assert conn.recv(16) == b"ping\n"
            with raises(TypeError):
                owners.send_payload(srv_addr, "not bytes")
            conn, _ = srv.accept()
            conn.close()


        latin = d / "latin1.txt"
        latin.write_bytes(b"caf\xe9\n")
        with raises(UnicodeDecodeError):
            sessions.system_prompt(str(latin))
        with raises(UnicodeDecodeError):
            sessions.manifest_lines(str(latin))
    return 0


if __name__ == "__main__":
    sys.exit(main())
