#!/usr/bin/env python3
"""Driver for agentkit/logcapture.py: the capture class and the log helpers."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
import gc
import json
import logging
import re
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from agentkit import logcapture  # noqa: E402
from agentkit.logcapture import LogCapture  # noqa: E402


def expect(exc: type[BaseException], fn, *args, **kwargs) -> None:
    """Call ``fn`` and require it to raise ``exc``; the exception is discarded."""
    try:
        fn(*args, **kwargs)
    except exc:
        return
    raise AssertionError(f"{getattr(fn, '__qualname__', fn)} did not raise {exc.__name__}")


@contextlib.contextmanager
def raises(exc: type[BaseException]) -> Iterator[None]:
    """Require the block to raise ``exc``; the exception is discarded."""
    try:
        yield
    except exc:
        return
    raise AssertionError(f"the block did not raise {exc.__name__}")


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="drive-logcapture-") as tmp:
        root = Path(tmp)

        # Explicit lifecycle.
        cap = LogCapture(root / "logs", prefix="job")
        assert not cap.closed
        cap.write_out("hello\n")
        cap.write_err("warning: something\n")
        cap.event("step", n=1)
        expect(TypeError, cap.event, "bad", payload=object())
        handler = cap.handler(logging.WARNING)
        logger = logging.getLogger("drive.logcapture")
        logger.propagate = False
        logger.addHandler(handler)
        try:
            logger.warning("through the handler")
        finally:
            logger.removeHandler(handler)
            handler.close()
        cap.flush()
        cap.close()
        cap.close()
        assert cap.closed
        cap.flush()
        expect(ValueError, cap.write_out, "late\n")
        expect(ValueError, cap.write_err, "late\n")
        expect(ValueError, cap.event, "late")
        expect(ValueError, cap.handler)
        assert "through the handler" in cap.err_path.read_text(encoding="utf-8")
        assert cap.out_path.read_text(encoding="utf-8") == "hello\n"

        # Context manager, normal exit and exit by exception.
        # No `assert ctx.closed` here: strip-exit rewrites this use too, and a
        # leak must show as a ResourceWarning, not as a failing driver.
        with LogCapture(root / "logs", prefix="ctx") as ctx:
            ctx.write_out("inside\n")

        def raising_block() -> None:
            with LogCapture(root / "logs", prefix="ctx") as c:
                c.write_out("about to fail\n")
                raise RuntimeError("tool failed")

        expect(RuntimeError, raising_block)

        # Constructor failing on the third file.
        broken = root / "broken"
        (broken / "run.events.jsonl").mkdir(parents=True)
        try:
            LogCapture(broken)
        except IsADirectoryError:
            pass
        else:
            raise AssertionError("LogCapture did not raise IsADirectoryError")

        # capture_run.
        assert logcapture.capture_run(root / "runs", lambda c: c.write_out("ok\n") or 7) == 7

        def tool(c: LogCapture) -> None:
            c.write_err("boom\n")
            raise KeyError("missing input")

        expect(KeyError, logcapture.capture_run, root / "runs", tool, prefix="run")
        events = logcapture.read_events(root / "runs" / "run.events.jsonl")
        assert [e["kind"] for e in events] == ["start", "end", "start", "error"], events

        corrupt = root / "corrupt.jsonl"
        corrupt.write_text(json.dumps({"kind": "a"}) + "\n{broken\n", encoding="utf-8")
        expect(json.JSONDecodeError, logcapture.read_events, corrupt)

        many = root / "many.log"
        many.write_text("".join(f"line {i}\n" for i in range(50)), encoding="utf-8")
        assert logcapture.tail(many, 3) == ["line 47", "line 48", "line 49"]
        assert logcapture.tail(many, 0) == []
        expect(ValueError, logcapture.tail, many, -1)
        (root / "binary.log").write_bytes(b"\xff\xfe\xfa\n")
        expect(UnicodeDecodeError, logcapture.tail, root / "binary.log")
        (root / "binary.log").unlink()

        assert logcapture.grep_log(many, root / "sevens.txt", r"7$") == 5
        assert (root / "sevens.txt").read_text(encoding="utf-8").splitlines()[0] == "line 7"
        expect(re.error, logcapture.grep_log, many, root / "never.txt", "(")
        (root / "mixed.log").write_bytes(b"ok line\n\xff\xfe broken\n")
        expect(UnicodeDecodeError, logcapture.grep_log, root / "mixed.log", root / "partial.txt", "line")
        (root / "mixed.log").unlink()

        # The gzip target is a directory: opening it raises while the source is open.
        (root / "many.log.gz").mkdir()
        expect(IsADirectoryError, logcapture.compress_log, many, remove=False)
        (root / "many.log.gz").rmdir()
        kept = logcapture.compress_log(many, remove=False)
        assert many.exists() and logcapture.read_compressed_log(kept).startswith("line 0")
        kept.unlink()
        archived = logcapture.archive_logs(root)
        assert [p.name for p in archived] == ["many.log.gz"] and not many.exists()
        assert logcapture.archive_logs(root, min_age=3600) == []
        (root / "fake.gz").write_bytes(b"not gzip")
        with raises(OSError):
            logcapture.read_compressed_log(root / "fake.gz")
        gc.collect()
    return 0


if __name__ == "__main__":
    sys.exit(main())
