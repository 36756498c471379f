"""Run agent tool code out of process.

Two flavours:

- subprocess runners execute a Python snippet in a fresh interpreter
  (``sys.executable -c CODE``) with captured output, optional input, a
  timeout, and optional capture into a :class:`~agentkit.logcapture.LogCapture`;
- pool runners fan CPU-bound work over a :mod:`multiprocessing` pool.
"""

from __future__ import annotations

import hashlib
import io
import multiprocessing
import subprocess
import sys
from dataclasses import dataclass
from os import PathLike
from typing import Iterator, Sequence

from agentkit.logcapture import LogCapture

StrPath = str | PathLike[str]

#: Keep child interpreters quiet and independent of the user's site-packages.
PYTHON_FLAGS = ("-I", "-S")


class RunnerError(RuntimeError):
    """The child exited with a non-zero status."""

    def __init__(self, returncode: int, stderr: str) -> None:
        super().__init__(f"child exited with status {returncode}: {stderr.strip()[-200:]}")
        self.returncode = returncode
        self.stderr = stderr


@dataclass(frozen=True)
class RunResult:
    returncode: int
    stdout: str
    stderr: str


def _python(code: str) -> list[str]:
    return [sys.executable, *PYTHON_FLAGS, "-c", code]


def run_python(code: str, *, timeout: float = 10.0, check: bool = True) -> RunResult:
    """Run ``code`` in a child interpreter and collect its output."""
    with subprocess.Popen(_python(code), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as proc:
        try:
            out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate()
            raise
        if check and proc.returncode != 0:
            raise RunnerError(proc.returncode, err)
    return RunResult(proc.returncode, out, err)


def feed_python(code: str, data: str, *, timeout: float = 10.0) -> str:
    """Run ``code`` with ``data`` on its standard input; return its standard output."""
    with subprocess.Popen(
        _python(code), stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    ) as proc:
        out, err = proc.communicate(data, timeout=timeout)
        if proc.returncode != 0:
            raise RunnerError(proc.returncode, err)
        return out


def stream_lines(code: str) -> Iterator[str]:
    """Yield the child's output line by line as it is produced."""
    with subprocess.Popen(_python(code), stdout=subprocess.PIPE, text=True) as proc:
        assert proc.stdout is not None
        for line in proc.stdout:
            yield line.rstrip("\n")
        if proc.wait() != 0:
            raise RunnerError(proc.returncode, "")


def probe_version(argv: Sequence[str], *, timeout: float = 5.0) -> str:
    """First line a tool prints, e.g. ``probe_version([sys.executable, "--version"])``.

    Only the first line is read; the child is reaped when the block exits.
    """
    with subprocess.Popen(list(argv), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True) as proc:
        first = proc.stdout.readline().strip()
        if not first:
            raise RunnerError(proc.wait(timeout=timeout), "no output")
        return first


def pipeline(producer: str, consumer: str, *, timeout: float = 10.0) -> str:
    """Run ``producer | consumer`` and return the consumer's output."""
    with (
        subprocess.Popen(_python(producer), stdout=subprocess.PIPE) as first,
        subprocess.Popen(_python(consumer), stdin=first.stdout, stdout=subprocess.PIPE) as second,
    ):
        # Let the producer see SIGPIPE if the consumer exits early.
        first.stdout.close()
        out, _ = second.communicate(timeout=timeout)
        if first.wait(timeout=timeout) != 0 or second.returncode != 0:
            raise RunnerError(first.returncode or second.returncode, "pipeline stage failed")
    return out.decode("utf-8")


def run_logged(code: str, directory: StrPath, *, prefix: str = "child") -> int:
    """Run ``code`` and stream its output into a log capture in ``directory``."""
    with LogCapture(directory, prefix) as cap:
        cap.event("spawn", argv=_python(code)[:-1])
        result = run_python(code, check=False)
        cap.write_out(result.stdout)
        cap.write_err(result.stderr)
        cap.event("exit", returncode=result.returncode)
        return result.returncode


# --- pool runners ---------------------------------------------------------

def file_digest(path: StrPath) -> str:
    """SHA-256 of one file (module level so pool workers can import it)."""
    with io.open(path, "rb") as fh:
        return hashlib.sha256(fh.read()).hexdigest()


def count_lines(path: StrPath) -> tuple[str, int]:
    with io.open(path, "r", encoding="utf-8") as fh:
        return str(path), sum(1 for _ in fh)


def _square(n: int) -> int:
    if n < 0:
        raise ValueError(f"negative input {n}")
    return n * n


def parallel_digests(paths: Sequence[StrPath], *, processes: int = 2) -> list[str]:
    """Digest many files in parallel, preserving input order."""
    with multiprocessing.Pool(processes) as pool:
        return pool.map(file_digest, paths)


def parallel_line_counts(paths: Sequence[StrPath], *, processes: int = 2) -> dict[str, int]:
    with multiprocessing.Pool(processes) as pool:
        counts = dict(pool.imap_unordered(count_lines, paths))
        pool.close()
        pool.join()
    return counts


def parallel_squares(numbers: Sequence[int], *, processes: int = 2) -> list[int]:
    """Square ``numbers`` in worker processes; negative inputs are rejected."""
    ctx = multiprocessing.get_context()
    with ctx.Pool(processes) as pool:
        results = [pool.apply_async(_square, (n,)) for n in numbers]
        return [r.get(timeout=10) for r in results]
