#!/usr/bin/env python3
"""Driver for agentkit/transcribe.py: every tool entry point, success and failure."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
import array
import gzip
import json
import math
import os
import sys
import tempfile
import wave
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from agentkit import transcribe  # noqa: E402
from agentkit.apiclient import APIError, LocalSpeechClient, Transcription  # noqa: E402


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


def write_wav(path: Path, pattern: str, rate: int = 8000) -> Path:
    """Write 0.1 s blocks: 't' = tone, 's' = silence."""
    samples = array.array("h")
    for kind in pattern:
        for i in range(rate // 10):
            samples.append(int(6000 * math.sin(2 * math.pi * 440 * i / rate)) if kind == "t" else 0)
    if sys.byteorder == "big":
        samples.byteswap()
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(samples.tobytes())
    return path


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="drive-transcribe-") as tmp:
        root = Path(tmp)
        speech = write_wav(root / "a_speech.wav", "tstt")
        silent = write_wav(root / "b_silent.wav", "sss")
        short = write_wav(root / "short.raw", "")
        junk = root / "junk.bin"
        junk.write_bytes(b"\x00" * 64)
        gz_path = root / "speech.wav.gz"
        gz_path.write_bytes(gzip.compress(speech.read_bytes()))
        bad_gz = root / "bad.wav.gz"
        bad_gz.write_bytes(b"definitely not gzip")

        with LocalSpeechClient() as client:
            r = transcribe.transcribe_file(speech, client, language="en")
            assert r.text.startswith("[speech"), r.text
            expect(APIError, transcribe.transcribe_file, junk, client)
            expect(APIError, transcribe.transcribe_file, speech, client, model="nope")

            assert transcribe.transcribe_checked(speech, client).duration == 0.4
            expect(transcribe.EmptyTranscriptError, transcribe.transcribe_checked, silent, client)
            expect(transcribe.EmptyTranscriptError, transcribe.transcribe_checked, short, client)
            expect(APIError, transcribe.transcribe_checked, junk, client)

            up = transcribe.transcribe_bytes(speech.read_bytes(), client, name="clip.wav")
            assert up.text.startswith("clip.wav: [speech"), up.text
            assert transcribe.transcribe_bytes(short.read_bytes(), client).text == ""
            expect(APIError, transcribe.transcribe_bytes, b"garbage", client)

            assert transcribe.transcribe_gzipped(gz_path, client, language="it").language == "it"
            expect(OSError, transcribe.transcribe_gzipped, bad_gz, client)

            by_name = transcribe.transcribe_directory(root, client)
            assert sorted(by_name) == ["a_speech.wav", "b_silent.wav"], sorted(by_name)
            (root / "c_broken.wav").write_bytes(b"RIFF....WAVEjunk")
            expect(APIError, transcribe.transcribe_directory, root, client)
            (root / "c_broken.wav").unlink()

            out = transcribe.save_transcript(r, root / "r.json")
            assert transcribe.load_transcript(out) == r
            expect(TypeError, transcribe.save_transcript, Transcription("x", "en", 1.0, "m", [object()]), root / "bad.json")
            (root / "corrupt.json").write_text("{not json", encoding="utf-8")
            with raises(json.JSONDecodeError):
                transcribe.load_transcript(root / "corrupt.json")
            (root / "partial.json").write_text('{"text": "x"}', encoding="utf-8")
            with raises(KeyError):
                transcribe.load_transcript(root / "partial.json")

            first = transcribe.cached_transcribe(speech, client)
            sidecar = speech.with_suffix(".wav.json")
            assert sidecar.exists()
            os.utime(sidecar, ns=(speech.stat().st_mtime_ns + 10**9,) * 2)
            assert transcribe.cached_transcribe(speech, client) == first

        log = root / "batch.jsonl"
        results = transcribe.transcribe_batch([speech, silent], log_path=log)
        assert len(results) == 2 and len(log.read_text(encoding="utf-8").splitlines()) == 2
        expect(APIError, transcribe.transcribe_batch, [speech, junk], log_path=log)
    return 0


if __name__ == "__main__":
    sys.exit(main())
