"""Job steps that hold an :mod:`agentkit.endpoints` endpoint for their duration."""

from __future__ import annotations

import sys
from pathlib import Path

from agentkit import endpoints
from agentkit.endpoints import AuditTrail, BatchFilter, CsvSink, LineClient, TarBrowser

#: A child interpreter that upper-cases each line it reads.
UPPER = "import sys\nfor line in sys.stdin:\n    print(line.strip().upper())\n"


def audit_actions(path: str, actor: str, actions: list[str]) -> int:
    with AuditTrail(path) as trail:
        for action in actions:
            trail.record(actor, action, size=len(action))
    return len(actions)


def export_scores(path: Path, scores: dict[str, float]) -> None:
    with CsvSink(path, ["name", "score"]) as sink:
        for name in sorted(scores):
            sink.row([name, f"{scores[name]:.3f}"])


def first_lines(path: Path, n: int) -> list[str]:
    with endpoints.LineCursor(path) as cursor:
        lines = cursor.take(n)
    return lines


def ask_all(addr: tuple[str, int], questions: list[str]) -> list[str]:
    with LineClient(addr) as client:
        answers = [client.ask(q) for q in questions]
    return answers


def publish_gauges(addr: tuple[str, int], gauges: dict[str, float]) -> None:
    with endpoints.MetricsPublisher(addr, prefix="jobs") as pub:
        for name, value in gauges.items():
            pub.gauge(name, value)


def shout(words: list[str]) -> list[str]:
    with BatchFilter([sys.executable, "-I", "-S", "-c", UPPER]) as upper:
        replies = upper.run(words)
    return replies


def child_lines(code: str) -> list[str]:
    with endpoints.OutputCollector([sys.executable, "-I", "-S", "-c", code]) as collector:
        lines = collector.lines()
    return lines


def read_member(archive: Path, name: str) -> str:
    with TarBrowser(archive) as browser:
        text = browser.read_text(name)
    return text


def layer_total(layer: Path) -> int:
    with endpoints.LayerReader(layer) as reader:
        total = sum(reader.sizes().values())
    return total


def spill(chunks: list[bytes]) -> bytes:
    with endpoints.SpillBuffer() as buf:
        for chunk in chunks:
            buf.append(chunk)
        data = buf.drain()
    return data


def stage_results(results: list[dict], directory: str | None = None) -> list[dict]:
    with endpoints.ResultStaging(directory) as staging:
        for result in results:
            staging.add(result)
        staged = staging.results()
    return staged
