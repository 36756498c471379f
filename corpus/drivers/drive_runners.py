#!/usr/bin/env python3
"""Driver for agentkit/runners.py: subprocess runners and pool runners.

Children are short ``sys.executable -c`` snippets; nothing touches the network.
"""

from __future__ import annotations

import gc
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from agentkit import runners  # noqa: E402
from agentkit.logcapture import read_events  # noqa: E402
from agentkit.runners import RunnerError  # noqa: E402


def expect(exc: type[BaseException], fn, *args, **kwargs) -> None:
    """Call ``fn`` and require it to raise ``exc``; the exception is discarded."""
    try:
        fn(*args, **kwargs)
    except exc:
        return
    raise AssertionError(f"{getattr(fn, '__qualname__', fn)} did not raise {exc.__name__}")


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="drive-runners-") as tmp:
        root = Path(tmp)

        # Subprocess runners.
        result = runners.run_python("print('hi')")
        assert result == runners.RunResult(0, "hi\n", ""), result
        assert runners.run_python("import sys; sys.exit(3)", check=False).returncode == 3
        expect(RunnerError, runners.run_python, "import sys; sys.stderr.write('bad'); sys.exit(4)")
        expect(subprocess.TimeoutExpired, runners.run_python, "import time; time.sleep(5)", timeout=0.1)

        assert runners.feed_python("import sys; print(sys.stdin.read().upper(), end='')", "abc") == "ABC"
        expect(RunnerError, runners.feed_python, "import sys; sys.exit(1)", "ignored")

        assert list(runners.stream_lines("for i in range(3): print(i)")) == ["0", "1", "2"]
        expect(RunnerError, list, runners.stream_lines("print('partial'); import sys; sys.exit(2)"))

        assert runners.probe_version([sys.executable, "--version"]).startswith("Python 3.")
        expect(RunnerError, runners.probe_version, [sys.executable, "-c", "pass"])

        upper = "import sys; sys.stdout.write(sys.stdin.read().upper())"
        assert runners.pipeline("print('piped')", upper) == "PIPED\n"
        expect(RunnerError, runners.pipeline, "import sys; sys.exit(5)", upper)

        assert runners.run_logged("print('logged')", root / "logs") == 0
        assert runners.run_logged("import sys; sys.exit(6)", root / "logs") == 6
        expect(ValueError, runners.run_logged, "print('nul\0byte')", root / "logs")
        kinds = [e["kind"] for e in read_events(root / "logs" / "child.events.jsonl")]
        assert kinds == ["spawn", "exit", "spawn", "exit", "spawn"], kinds

        # Pool runners (and their worker functions called in-process).
        files = []
        for i in range(4):
            p = root / f"f{i}.txt"
            p.write_text("x\n" * (i + 1), encoding="utf-8")
            files.append(p)
        assert runners.file_digest(files[0]) == runners.parallel_digests(files)[0]
        expect(FileNotFoundError, runners.parallel_digests, [files[0], root / "missing"])
        assert runners.count_lines(files[2]) == (str(files[2]), 3)
        (root / "binary.txt").write_bytes(b"\xff\xfe")
        expect(UnicodeDecodeError, runners.count_lines, root / "binary.txt")
        counts = runners.parallel_line_counts(files)
        assert counts == {str(p): i + 1 for i, p in enumerate(files)}, counts
        expect(UnicodeDecodeError, runners.parallel_line_counts, [files[0], root / "binary.txt"])
        assert runners._square(3) == 9
        assert runners.parallel_squares([1, 2, 3]) == [1, 4, 9]
        expect(ValueError, runners.parallel_squares, [1, -2])
        gc.collect()
    return 0


if __name__ == "__main__":
    sys.exit(main())
