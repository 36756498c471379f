"""Supervise agent hooks and batch jobs.

Hooks are external commands an agent run triggers (``pre-run``, ``post-run``,
maintenance tasks).  Most inherit the service's standard streams, so no pipes
are involved.  Long hooks are made visible while they run (a pid file, a
status callback, a registry of running pids) and reaped when their ``with``
block exits, so no hook outlives the call that started it, even when
publishing its pid fails.  A few hooks talk through one pipe: a version
banner or a short report read from their output.  Hooks whose longer output
matters write it to a scratch file (:func:`capture_output`).

Batch jobs (digests, word counts) fan out over a
:class:`multiprocessing.Pool`; the pool is terminated when its block exits.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import subprocess
import tempfile
from os import PathLike
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping, MutableSet, Sequence

StrPath = str | PathLike[str]


class HookFailed(RuntimeError):
    """A hook exited with a non-zero status."""

    def __init__(self, argv: Sequence[str], returncode: int) -> None:
        super().__init__(f"{argv[0]} exited with status {returncode}")
        self.returncode = returncode


# --- hooks ----------------------------------------------------------------------

def run_hook(argv: Sequence[str], *, cwd: StrPath | None = None, timeout: float = 30.0) -> None:
    """Run one hook in ``cwd``; a non-zero exit raises :class:`HookFailed`."""
    with subprocess.Popen(list(argv), cwd=cwd) as proc:
        proc.communicate(timeout=timeout)
    if proc.returncode != 0:
        raise HookFailed(argv, proc.returncode)


def run_with_pidfile(argv: Sequence[str], pidfile: StrPath) -> int:
    """Run a long hook, publishing its pid in ``pidfile`` while it runs; return its exit status.

    Operators signal the hook through the pid file; it is removed once the hook is reaped.
    """
    path = Path(pidfile)
    with subprocess.Popen(list(argv)) as proc:
        path.write_text("%d\n" % proc.pid, encoding="ascii")
    path.unlink()
    return proc.returncode


def run_observed(argv: Sequence[str], on_start: Callable[[int], None]) -> int:
    """Run a hook, handing its pid to ``on_start`` (a status page) while it runs; return its exit status."""
    with subprocess.Popen(list(argv)) as proc:
        on_start(proc.pid)
    return proc.returncode


def run_registered(hooks: Iterable[Sequence[str]], running: MutableSet[int]) -> int:
    """Run hooks one after the other, each listed in ``running`` while it runs; return how many ran."""
    count = 0
    for argv in hooks:
        with subprocess.Popen(list(argv)) as proc:
            running.add(proc.pid)
        running.discard(proc.pid)
        count += 1
    return count


def first_line(argv: Sequence[str]) -> str:
    """First line a tool prints (a version banner); the rest of its output is discarded."""
    with subprocess.Popen(list(argv), stdout=subprocess.PIPE, stderr=subprocess.DEVNULL) as proc:
        line = proc.stdout.readline()
    return line.decode("utf-8", errors="replace").strip()


def tool_versions(tools: Mapping[str, Sequence[str]]) -> dict[str, str]:
    """First output line of each tool's version command, by tool name."""
    versions = {}
    for name, argv in tools.items():
        with subprocess.Popen(list(argv), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True) as proc:
            versions[name] = proc.stdout.readline().strip()
    return versions


def read_report(argv: Sequence[str], *, limit: int = 64 * 1024) -> bytes:
    """What a reporting hook prints, cut at ``limit`` bytes."""
    with subprocess.Popen(list(argv), stdout=subprocess.PIPE) as proc:
        report = proc.stdout.read(limit)
    return report


def _run_into(argv: Sequence[str], out: Any, timeout: float) -> str:
    status = subprocess.run(list(argv), stdout=out, stderr=subprocess.STDOUT, timeout=timeout).returncode
    if status != 0:
        raise HookFailed(argv, status)
    out.seek(0)
    return out.read().decode("utf-8", errors="replace")


def capture_output(argv: Sequence[str], *, timeout: float = 30.0) -> str:
    """Combined output of a hook, collected in a scratch file rather than a pipe."""
    with tempfile.TemporaryFile() as scratch:
        output = _run_into(argv, scratch, timeout)
    return output


def render_status(statuses: Mapping[str, int], *, max_memory: int = 16 * 1024) -> str:
    """JSON status report of named hooks, built in a spooled buffer."""
    with tempfile.SpooledTemporaryFile(max_size=max_memory, mode="w+", encoding="utf-8") as buf:
        report = _dump_report(statuses, buf)
    return report


def _dump_report(statuses: Mapping[str, int], out: Any) -> str:
    json.dump({"hooks": dict(statuses), "failed": sorted(k for k, v in statuses.items() if v)}, out, indent=1)
    out.seek(0)
    return out.read()


# --- batch jobs ------------------------------------------------------------------

def sha256_file(path: StrPath) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def count_words(text: str) -> int:
    return len(text.split())


def parallel_map(fn: Callable[[Any], Any], items: Sequence[Any], *, processes: int = 2) -> list[Any]:
    """``[fn(x) for x in items]`` computed by a pool; ``fn`` must be picklable."""
    with multiprocessing.Pool(processes) as pool:
        results = pool.map(fn, items)
    return results


def digest_files(paths: Sequence[StrPath], *, processes: int = 2) -> dict[str, str]:
    """SHA-256 of every file, by path."""
    with multiprocessing.Pool(processes=processes) as pool:
        digests = dict(zip(map(str, paths), pool.map(sha256_file, paths)))
    return digests


def total_words(texts: Iterable[str], *, processes: int = 2) -> int:
    with multiprocessing.Pool(processes=processes) as pool:
        total = sum(pool.imap_unordered(count_words, texts, chunksize=4))
    return total
