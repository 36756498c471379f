#!/usr/bin/env python3
"""Driver for agentkit/loaders.py and agentkit/intake.py (temporary directory, loopback only)."""

from __future__ import annotations

import bz2
import gzip
import contextlib
import io
import json
import lzma
import socket
import sys
import tarfile
import tempfile
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from agentkit import intake, loaders  # noqa: E402


@contextlib.contextmanager
def raises(exc: type[BaseException]) -> Iterator[None]:
    """Require the block to raise ``exc``; the exception is discarded."""
    try:
        yield
    except exc:
        return
    raise AssertionError(f"the block did not raise {exc.__name__}")


@contextlib.contextmanager
def greeter(greeting: bytes) -> Iterator[tuple[str, int]]:
    """A loopback server that sends ``greeting`` to each client and hangs up."""
    srv = socket.create_server(("127.0.0.1", 0))

    def serve() -> None:
        while True:
            try:
                conn, _ = srv.accept()
            except OSError:
                return
            with conn:
                conn.sendall(greeting)

    t = threading.Thread(target=serve, daemon=True)
    t.start()
    try:
        yield srv.getsockname()
    finally:
        srv.shutdown(socket.SHUT_RDWR)  # wakes the accept() of the serving thread
        srv.close()
        t.join(timeout=5)


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)

        policy = d / "policy.json"
        policy.write_text(json.dumps({"tools": ["shell", "browse"]}))
        assert intake.allowed_tools(policy) == ["browse", "shell"]
        assert loaders.load_policy(policy)["tools"]
        bad = d / "bad.json"
        bad.write_text("{not json")
        with raises(json.JSONDecodeError):
            intake.allowed_tools(bad)

        export = d / "export.jsonl.bz2"
        with bz2.open(export, "wt") as f:
            f.write('{"user": "ann"}\n{"user": "bob"}\n\n')
        assert intake.export_word_count(export) == 4
        assert intake.export_users(export) == {"ann", "bob"}
        broken = d / "broken.bz2"
        broken.write_bytes(bz2.compress(b"x" * 1000)[:-10])
        with raises(EOFError):
            intake.export_word_count(broken)
        with raises(EOFError):
            loaders.read_bz2_lines(broken)

        log = d / "app.log.gz"
        with gzip.open(log, "wt") as f:
            f.write("t0 INFO up\nt1 ERROR down\n")
        assert intake.log_error_count(log) == 1
        with raises(gzip.BadGzipFile):
            intake.log_error_count(policy)

        snap = d / "snap.json.xz"
        with lzma.open(snap, "wt") as f:
            json.dump({"b": 1, "a": 2}, f)
        assert intake.snapshot_digest(snap) >= 0
        assert intake.snapshot_keys(snap) == ["a", "b"]
        bad_xz = d / "bad.xz"
        bad_xz.write_bytes(lzma.compress(b"{}")[:-8])
        with raises(EOFError):
            intake.snapshot_digest(bad_xz)
        with raises(EOFError):
            intake.snapshot_keys(bad_xz)

        bundle = d / "bundle.tar"
        with tarfile.open(bundle, "w") as tf:
            for name, data in {"a.txt": b"abc", "b.txt": b"de"}.items():
                info = tarfile.TarInfo(name)
                info.size = len(data)
                tf.addfile(info, io.BytesIO(data))
        assert intake.bundle_has(bundle, "a.txt")
        assert intake.bundle_bytes(bundle) == 5
        cut = d / "cut.tar"
        cut.write_bytes(bundle.read_bytes()[:700])
        with raises(tarfile.ReadError):
            intake.bundle_has(cut, "b.txt")
        with raises(tarfile.ReadError):
            intake.bundle_bytes(cut)

        plugin = d / "plugin.zip"
        with zipfile.ZipFile(plugin, "w") as zf:
            zf.writestr("plugin.json", '{"name": "p"}')
            zf.writestr("p/main.py", "print('hi')\n")
        assert intake.plugin_modules(plugin) == ["p/main.py"]
        assert intake.plugin_footprint(plugin) > 0

        settings = d / "settings.json"
        settings.write_text('{"retries": 3}')
        assert intake.remote_settings(settings.as_uri()) == {"retries": 3}
        with raises(json.JSONDecodeError):
            intake.remote_settings(bad.as_uri())

        assert intake.same_filesystem(tmp, str(policy))
        assert intake.scratch_has_room(tmp, 1) in (True, False)
        assert intake.copy_chunk_size(tmp) >= 4096
        with raises(FileNotFoundError):
            intake.same_filesystem(tmp, str(d / "missing"))

        with greeter(b"220 agent ready\r\n") as addr:
            assert intake.peer_banner(addr) == "220 agent ready"
            assert intake.outbound_ip(addr) == "127.0.0.1"
        with greeter(b"\xff\xfe") as addr:
            with raises(UnicodeDecodeError):
                intake.peer_banner(addr)
        with greeter(b'{"version": "1.2"}') as addr:
            assert intake.peer_version(addr) == "1.2"
        with greeter(b'{"name": "x"}') as addr:
            with raises(KeyError):
                intake.peer_version(addr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
