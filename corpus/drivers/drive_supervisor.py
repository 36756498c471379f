#!/usr/bin/env python3
"""Driver for agentkit/supervisor.py: hooks (short ``sys.executable`` children) and pool jobs.

Runs where publishing a hook's pid fails use a child that sleeps 0.2 s, so the
hook is still running when the error propagates (the ``with`` block reaps it).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from agentkit import supervisor  # noqa: E402
from agentkit.supervisor import HookFailed  # noqa: E402

PY = [sys.executable, "-I", "-S", "-c"]
FAST = [*PY, "pass"]
SLOW = [*PY, "import time; time.sleep(0.2)"]


def expect(exc: type[BaseException], fn, *args, **kwargs) -> None:
    """Call ``fn`` and require it to raise ``exc``; the exception is discarded."""
    try:
        fn(*args, **kwargs)
    except exc:
        return
    raise AssertionError(f"{getattr(fn, '__qualname__', fn)} did not raise {exc.__name__}")


class FullRegistry(set):
    """A registry of running pids that refuses new entries."""

    def add(self, pid: int) -> None:
        raise OverflowError("too many running hooks")


def refuse(pid: int) -> None:
    raise RuntimeError(f"status page rejected pid {pid}")


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="drive-supervisor-") as tmp:
        root = Path(tmp)

        # Hooks.
        supervisor.run_hook(FAST, cwd=root)
        expect(HookFailed, supervisor.run_hook, [*PY, "import sys; sys.exit(3)"])

        supervisor.run_with_pidfile(FAST, root / "hook.pid")
        assert not (root / "hook.pid").exists()
        expect(FileNotFoundError, supervisor.run_with_pidfile, SLOW, root / "missing" / "hook.pid")

        seen: list[int] = []
        supervisor.run_observed(FAST, seen.append)
        assert len(seen) == 1 and seen[0] > 0
        expect(RuntimeError, supervisor.run_observed, SLOW, refuse)

        running: set[int] = set()
        assert supervisor.run_registered([FAST, FAST], running) == 2
        assert running == set()
        expect(OverflowError, supervisor.run_registered, [SLOW], FullRegistry())

        assert supervisor.first_line([sys.executable, "--version"]).startswith("Python 3.")
        assert supervisor.first_line([*PY, "pass"]) == ""
        versions = supervisor.tool_versions({"python": [sys.executable, "-V"], "echo": [*PY, "print('v1\\nv2')"]})
        assert versions["python"].startswith("Python 3.") and versions["echo"] == "v1", versions
        assert supervisor.read_report([*PY, "print('ok: 3 hooks')"]) == b"ok: 3 hooks\n"
        assert supervisor.read_report([*PY, "print('x' * 100)"], limit=10) == b"x" * 10

        assert supervisor.capture_output([*PY, "print('warm'); print('done')"]) == "warm\ndone\n"
        expect(HookFailed, supervisor.capture_output, [*PY, "print('oops'); raise SystemExit(2)"])
        expect(subprocess.TimeoutExpired, supervisor.capture_output, SLOW, timeout=0.01)

        report = supervisor.render_status({"pre-run": 0, "post-run": 1})
        assert '"failed": [\n  "post-run"\n ]' in report, report
        assert len(supervisor.render_status({f"h{i}": i % 2 for i in range(2000)}, max_memory=512)) > 512
        expect(TypeError, supervisor.render_status, {"pre-run": object()})

        # Batch jobs.
        texts = ["one two", "three", "", "four five six"]
        assert supervisor.parallel_map(supervisor.count_words, texts) == [2, 1, 0, 3]
        expect(AttributeError, supervisor.parallel_map, supervisor.count_words, ["ok", None])
        (root / "a.bin").write_bytes(b"a" * 1000)
        (root / "b.bin").write_bytes(b"")
        digests = supervisor.digest_files([root / "a.bin", root / "b.bin"])
        assert digests[str(root / "b.bin")] == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        expect(FileNotFoundError, supervisor.digest_files, [root / "a.bin", root / "missing.bin"])
        assert supervisor.total_words(texts * 3) == 18
        expect(AttributeError, supervisor.total_words, ["ok", None])
    return 0


if __name__ == "__main__":
    sys.exit(main())
