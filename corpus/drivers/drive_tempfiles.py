#!/usr/bin/env python3
"""Driver for agentkit/tempfiles.py: spooled, anonymous and named scratch files."""

from __future__ import annotations

import gc
import hashlib
import io
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from agentkit import tempfiles  # noqa: E402


def expect(exc: type[BaseException], fn, *args, **kwargs) -> None:
    """Call ``fn`` and require it to raise ``exc``; the exception is discarded."""
    try:
        fn(*args, **kwargs)
    except exc:
        return
    raise AssertionError(f"{getattr(fn, '__qualname__', fn)} did not raise {exc.__name__}")


class BrokenReader(io.RawIOBase):
    """A stream that fails after the first chunk, like a dropped upload."""

    def __init__(self) -> None:
        self._sent = False

    def readable(self) -> bool:
        return True

    def readinto(self, b) -> int:
        if self._sent:
            raise ConnectionResetError("upload interrupted")
        self._sent = True
        b[:4] = b"data"
        return 4


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="drive-tempfiles-") as tmp:
        root = Path(tmp)

        assert tempfiles.spool_jsonl([{"a": 1}, {"b": 2}]) == b'{"a": 1}\n{"b": 2}\n'
        assert len(tempfiles.spool_jsonl(({"i": i} for i in range(100)), max_size=64).splitlines()) == 100
        expect(TypeError, tempfiles.spool_jsonl, [{"ok": 1}, {"bad": object()}])

        digest, rolled = tempfiles.spooled_digest([b"ab", b"cd"])
        assert digest == hashlib.sha256(b"abcd").hexdigest() and not rolled
        assert tempfiles.spooled_digest([b"x" * 100, b"y" * 100], max_size=150)[1]
        expect(TypeError, tempfiles.spooled_digest, [b"ok", "text"], max_size=1)

        lines = [f"{(i * 7919) % 1000:04d}" for i in range(2500)]
        assert tempfiles.external_sort(lines, chunk_lines=1000) == sorted(lines)
        assert tempfiles.external_sort([]) == []
        expect(ValueError, tempfiles.external_sort, ["a", "b\nc"], chunk_lines=1)
        expect(TypeError, tempfiles._write_run, ["ok", None])
        run = tempfiles._write_run(["a", "b"])
        with run:
            run.seek(0)
            assert run.read() == "a\nb\n"

        out = io.BytesIO()
        assert tempfiles.copy_through_scratch(io.BytesIO(b"payload"), out) == 7
        assert out.getvalue() == (7).to_bytes(8, "big") + b"payload"
        expect(ConnectionResetError, tempfiles.copy_through_scratch, io.BufferedReader(BrokenReader()), io.BytesIO())
        expect(TypeError, tempfiles.copy_through_scratch, io.BytesIO(b"x"), io.StringIO())

        assert tempfiles.checksum_stream(io.BytesIO(b"abc")) == hashlib.sha256(b"abc").hexdigest()
        expect(ConnectionResetError, tempfiles.checksum_stream, io.BufferedReader(BrokenReader()))

        assert tempfiles.with_named_file(b"hello", lambda p: Path(p).read_bytes(), suffix=".txt") == b"hello"
        expect(ZeroDivisionError, tempfiles.with_named_file, b"x", lambda p: 1 / 0)
        expect(TypeError, tempfiles.with_named_file, "not bytes", len)

        scratch = tempfiles.write_scratch(b"keep me", directory=root, suffix=".bin")
        assert scratch.read_bytes() == b"keep me"
        scratch.unlink()
        expect(TypeError, tempfiles.write_scratch, "text", directory=root)

        staged = tempfiles.staged_json({"k": [1, 2]}, directory=root)
        assert json.loads(staged.read_text(encoding="utf-8")) == {"k": [1, 2]}
        staged.unlink()
        expect(TypeError, tempfiles.staged_json, {"k": {1, 2}}, directory=root)
        assert not list(root.glob("*.json")), "staged file left behind"

        assert tempfiles.in_scratch_dir(lambda d: d.is_dir() and d.name.startswith("agentkit-"))
        expect(KeyError, tempfiles.in_scratch_dir, lambda d: {}["missing"])
        assert not list(root.iterdir()), list(root.iterdir())
        gc.collect()
    return 0


if __name__ == "__main__":
    sys.exit(main())
