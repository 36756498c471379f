"""Service sessions built on the owners: telemetry, tailing, bundling."""

from __future__ import annotations

import sys
from pathlib import Path

from agentkit import owners
from agentkit.owners import BundleWriter, ProcessTailer, read_prompt


def report(addr: tuple[str, int], events: list[dict]) -> int:
    sent = 0
    with owners.TelemetryEmitter(addr) as em:
        for event in events:
            sent += em.emit(event)
    return sent


def tail_child(code: str) -> list[str]:
    with ProcessTailer([sys.executable, "-c", code]) as tailer:
        lines = tailer.lines()
    return lines


def bundle(path: Path, files: dict[str, str]) -> None:
    with BundleWriter(path) as bw:
        for name, text in files.items():
            bw.add_text(name, text)


def stage(parts: list[str]) -> str:
    with owners.ScratchBuffer() as buf:
        for part in parts:
            buf.write(part)
        text = buf.getvalue()
    return text


def journal(path: Path, lines: list[str]) -> None:
    with owners.JournalFile(path) as j:
        for line in lines:
            j.record(line)


def fetch_feed(url: str) -> str:
    with owners.FeedReader(url) as feed:
        text = feed.read_text()
    return text


def system_prompt(path: str) -> str:
    text = read_prompt(path)
    return text.strip()


def manifest_lines(path: str) -> list[str]:
    text = owners.read_manifest(path)
    return text.splitlines()


def feed_size(url: str) -> int:
    data = owners.read_feed(url)
    return len(data)
