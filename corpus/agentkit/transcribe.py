"""Audio transcription tool for agents.

Each function opens the audio itself and hands the open stream to a
:class:`~agentkit.apiclient.LocalSpeechClient`, the same way a hosted
speech-to-text SDK is called. Results can be persisted as JSON next to the
audio so repeated tool calls are cheap.
"""

from __future__ import annotations

import gzip
import json
import tempfile
from os import PathLike
from pathlib import Path

from agentkit.apiclient import DEFAULT_MODEL, LocalSpeechClient, Transcription

StrPath = str | PathLike[str]

#: Transcripts shorter than this are treated as a failed tool call.
MIN_DURATION = 0.05


class EmptyTranscriptError(ValueError):
    """The audio contained nothing worth transcribing."""


def transcribe_file(
    path: StrPath,
    client: LocalSpeechClient,
    *,
    language: str | None = None,
    model: str = DEFAULT_MODEL,
) -> Transcription:
    """Transcribe a WAV file on disk."""
    with open(path, "rb") as audio:
        return client.audio.transcriptions.create(file=audio, model=model, language=language)


def transcribe_checked(path: Path, client: LocalSpeechClient) -> Transcription:
    """Transcribe ``path`` and reject audio that is too short or all silence."""
    with path.open("rb") as audio:
        result = client.audio.transcriptions.create(file=audio)
        if result.duration < MIN_DURATION:
            raise EmptyTranscriptError(f"{path.name}: only {result.duration:.3f}s of audio")
        if not any(seg.kind == "speech" for seg in result.segments):
            raise EmptyTranscriptError(f"{path.name}: no speech detected")
    return result


def transcribe_bytes(data: bytes, client: LocalSpeechClient, *, name: str = "upload.wav") -> Transcription:
    """Transcribe audio received in memory, e.g. from a chat attachment.

    Small uploads stay in memory; large ones spill to disk transparently.
    """
    with tempfile.SpooledTemporaryFile(max_size=1 << 20, mode="w+b") as buffer:
        buffer.write(data)
        buffer.seek(0)
        result = client.audio.transcriptions.create(file=buffer)
    result.text = f"{name}: {result.text}" if result.text else result.text
    return result


def transcribe_gzipped(path: StrPath, client: LocalSpeechClient, *, language: str | None = None) -> Transcription:
    """Transcribe a ``.wav.gz`` file without unpacking it to disk."""
    with gzip.open(path, "rb") as audio:
        return client.audio.transcriptions.create(file=audio, language=language)


def transcribe_directory(directory: StrPath, client: LocalSpeechClient) -> dict[str, Transcription]:
    """Transcribe every ``*.wav`` file in ``directory`` (not recursive)."""
    results: dict[str, Transcription] = {}
    for path in sorted(Path(directory).glob("*.wav")):
        results[path.name] = transcribe_file(path, client)
    return results


def transcribe_batch(paths: list[StrPath], *, log_path: StrPath) -> list[Transcription]:
    """Transcribe several files with a dedicated, logged client."""
    with LocalSpeechClient(log_path=log_path) as client:
        return [transcribe_file(p, client) for p in paths]


def save_transcript(result: Transcription, dest: StrPath) -> Path:
    """Write ``result`` as pretty JSON and return the destination path."""
    dest = Path(dest)
    with open(dest, "w", encoding="utf-8") as fh:
        json.dump(result.to_dict(), fh, indent=2, sort_keys=True)
    return dest


def load_transcript(path: StrPath) -> Transcription:
    """Load a transcript written by :func:`save_transcript`."""
    with open(path, encoding="utf-8") as fh:
        return Transcription.from_dict(json.load(fh))


def cached_transcribe(path: Path, client: LocalSpeechClient) -> Transcription:
    """Transcribe ``path``, reusing ``<path>.json`` when it is newer than the audio."""
    sidecar = path.with_suffix(path.suffix + ".json")
    if sidecar.exists() and sidecar.stat().st_mtime_ns >= path.stat().st_mtime_ns:
        return load_transcript(sidecar)
    result = transcribe_file(path, client)
    save_transcript(result, sidecar)
    return result
