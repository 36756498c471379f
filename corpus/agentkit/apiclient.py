"""An offline stand-in for a hosted speech-to-text API.

The client mirrors the call shape of common hosted SDKs
(``client.audio.transcriptions.create(file=..., model=...)``) so that agent
tools can be developed and tested without network access or credentials.

"Transcription" here is a crude energy-based segmentation of 16-bit PCM WAV
audio: the text lists every stretch of speech or silence with its time span.
That is enough to make tool plumbing, retries and result handling testable.
"""

from __future__ import annotations

import array
import json
import sys
import threading
import time
import wave
from dataclasses import asdict, dataclass, field
from os import PathLike
from typing import Any, BinaryIO, TextIO

DEFAULT_MODEL = "local-energy-v1"
SUPPORTED_MODELS = frozenset({DEFAULT_MODEL, "local-energy-fast"})

#: Mean absolute amplitude above which a window counts as speech.
SPEECH_THRESHOLD = 500


class APIError(Exception):
    """A request the service rejects (the analogue of an HTTP 4xx)."""


@dataclass(frozen=True)
class Segment:
    start: float
    end: float
    kind: str  # "speech" or "silence"


@dataclass
class Transcription:
    text: str
    language: str
    duration: float
    model: str
    segments: list[Segment] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Transcription":
        segments = [Segment(**seg) for seg in data.get("segments", [])]
        return cls(
            text=data["text"],
            language=data["language"],
            duration=float(data["duration"]),
            model=data["model"],
            segments=segments,
        )


def _segment(samples: array.array, rate: int, window: float) -> list[Segment]:
    """Split mono-equivalent samples into merged speech/silence segments."""
    step = max(1, int(rate * window))
    segments: list[Segment] = []
    for offset in range(0, len(samples), step):
        chunk = samples[offset:offset + step]
        energy = sum(abs(s) for s in chunk) / len(chunk)
        kind = "speech" if energy >= SPEECH_THRESHOLD else "silence"
        start = offset / rate
        end = (offset + len(chunk)) / rate
        if segments and segments[-1].kind == kind:
            segments[-1] = Segment(segments[-1].start, end, kind)
        else:
            segments.append(Segment(start, end, kind))
    return segments


class _Transcriptions:
    """The ``client.audio.transcriptions`` resource."""

    def __init__(self, client: "LocalSpeechClient") -> None:
        self._client = client

    def create(
        self,
        *,
        file: BinaryIO,
        model: str = DEFAULT_MODEL,
        language: str | None = None,
        window: float = 0.1,
    ) -> Transcription:
        """Transcribe an already opened binary audio stream.

        The stream is read but not closed: the caller owns it, exactly as
        with the hosted SDKs.
        """
        if model not in SUPPORTED_MODELS:
            raise APIError(f"unknown model {model!r}")
        if window <= 0:
            raise APIError("window must be positive")
        name = getattr(file, "name", None) or "<stream>"
        started = time.monotonic()
        try:
            with wave.open(file, "rb") as wav:
                if wav.getsampwidth() != 2:
                    raise APIError(f"{name}: only 16-bit PCM is supported")
                rate = wav.getframerate() * wav.getnchannels()
                frames = wav.readframes(wav.getnframes())
        except (wave.Error, EOFError) as exc:
            raise APIError(f"{name}: unsupported audio ({exc})") from exc

        samples = array.array("h")
        samples.frombytes(frames)
        if sys.byteorder == "big":
            samples.byteswap()
        if model == "local-energy-fast":
            window *= 4
        segments = _segment(samples, rate, window) if samples else []
        duration = len(samples) / rate if rate else 0.0
        text = " ".join(f"[{s.kind} {s.start:.2f}-{s.end:.2f}]" for s in segments)
        result = Transcription(
            text=text,
            language=language or self._client.default_language,
            duration=round(duration, 3),
            model=model,
            segments=segments,
        )
        self._client._record(
            {
                "endpoint": "audio.transcriptions",
                "file": str(name),
                "model": model,
                "duration": result.duration,
                "elapsed": round(time.monotonic() - started, 4),
            }
        )
        return result


class _Audio:
    def __init__(self, client: "LocalSpeechClient") -> None:
        self.transcriptions = _Transcriptions(client)


class LocalSpeechClient:
    """Offline speech client with an optional JSON-lines request log.

    When ``log_path`` is given the client keeps the log open for its whole
    lifetime; call :meth:`close` or use the client as a context manager.
    """

    def __init__(
        self,
        *,
        log_path: str | PathLike[str] | None = None,
        default_language: str = "en",
    ) -> None:
        self.default_language = default_language
        self._lock = threading.Lock()
        self._requests = 0
        self._closed = False
        self._log: TextIO | None = None
        if log_path is not None:
            self._log = open(log_path, "a", encoding="utf-8")
        self.audio = _Audio(self)

    @property
    def requests(self) -> int:
        """Number of requests served so far."""
        with self._lock:
            return self._requests

    @property
    def closed(self) -> bool:
        return self._closed

    def _record(self, entry: dict[str, Any]) -> None:
        with self._lock:
            if self._closed:
                raise APIError("client is closed")
            self._requests += 1
            if self._log is not None:
                self._log.write(json.dumps(entry, sort_keys=True) + "\n")
                self._log.flush()

    def close(self) -> None:
        """Release the request log. Safe to call more than once."""
        with self._lock:
            self._closed = True
            if self._log is not None:
                self._log.close()
                self._log = None

    def __enter__(self) -> "LocalSpeechClient":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
