#!/usr/bin/env python3
"""Driver for agentkit/apiclient.py: exercises the offline speech client."""

from __future__ import annotations

import array
import gc
import io
import json
import math
import sys
import tempfile
import wave
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from agentkit import apiclient  # noqa: E402
from agentkit.apiclient import APIError, LocalSpeechClient, Segment, Transcription  # noqa: E402


def expect(exc: type[BaseException], fn, *args, **kwargs) -> None:
    """Call ``fn`` and require it to raise ``exc``; the exception is discarded."""
    try:
        fn(*args, **kwargs)
    except exc:
        return
    raise AssertionError(f"{getattr(fn, '__qualname__', fn)} did not raise {exc.__name__}")


def write_wav(path: Path, pattern: str = "ts", *, rate: int = 8000, width: int = 2) -> Path:
    """Write 0.1 s blocks: 't' = tone, 's' = silence."""
    block = rate // 10
    if width == 2:
        samples = array.array("h")
        for kind in pattern:
            for i in range(block):
                samples.append(int(6000 * math.sin(2 * math.pi * 440 * i / rate)) if kind == "t" else 0)
        if sys.byteorder == "big":
            samples.byteswap()
        frames = samples.tobytes()
    else:
        frames = bytes([128]) * block * len(pattern)
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(width)
        w.setframerate(rate)
        w.writeframes(frames)
    return path


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="drive-apiclient-") as tmp:
        root = Path(tmp)
        good = write_wav(root / "good.wav", "ttss")
        empty = write_wav(root / "empty.wav", "")
        eight_bit = write_wav(root / "eight.wav", "tt", width=1)
        junk = root / "junk.wav"
        junk.write_bytes(b"not a wav file at all")

        segs = apiclient._segment(array.array("h", [0] * 100 + [9000] * 100), 1000, 0.05)
        assert [s.kind for s in segs] == ["silence", "speech"], segs

        # Client without a log.
        client = LocalSpeechClient()
        with open(good, "rb") as fh:
            result = client.audio.transcriptions.create(file=fh)
        assert result.language == "en" and result.duration == 0.4, result
        assert [s.kind for s in result.segments] == ["speech", "silence"], result.segments
        with open(good, "rb") as fh:
            fast = client.audio.transcriptions.create(file=fh, model="local-energy-fast", language="de")
        assert fast.language == "de" and fast.model == "local-energy-fast"
        with open(empty, "rb") as fh:
            assert client.audio.transcriptions.create(file=fh).segments == []
        with open(good, "rb") as fh:
            expect(APIError, client.audio.transcriptions.create, file=fh, model="gpt-9")
            expect(APIError, client.audio.transcriptions.create, file=fh, window=0)
        with open(eight_bit, "rb") as fh:
            expect(APIError, client.audio.transcriptions.create, file=fh)
        with open(junk, "rb") as fh:
            expect(APIError, client.audio.transcriptions.create, file=fh)
        in_memory = io.BytesIO(good.read_bytes())
        assert client.audio.transcriptions.create(file=in_memory).text.startswith("[speech")
        assert client.requests == 4, client.requests
        assert not client.closed
        client.close()
        client.close()
        assert client.closed
        with open(good, "rb") as fh:
            expect(APIError, client.audio.transcriptions.create, file=fh)

        # Round trip through dicts.
        again = Transcription.from_dict(json.loads(json.dumps(result.to_dict())))
        assert again == result and isinstance(again.segments[0], Segment)

        # Client with a request log, as a context manager and explicitly closed.
        log = root / "requests.jsonl"
        with LocalSpeechClient(log_path=log, default_language="fr") as logged:
            with open(good, "rb") as fh:
                assert logged.audio.transcriptions.create(file=fh).language == "fr"
        assert logged.closed
        logged2 = LocalSpeechClient(log_path=log)
        try:
            with open(good, "rb") as fh:
                logged2.audio.transcriptions.create(file=fh)
        finally:
            logged2.close()
        lines = log.read_text(encoding="utf-8").splitlines()
        assert len(lines) == 2 and json.loads(lines[0])["endpoint"] == "audio.transcriptions"

        # A body that raises while the logged client is open.
        def failing_session() -> None:
            with LocalSpeechClient(log_path=log) as c:
                with open(junk, "rb") as fh:
                    c.audio.transcriptions.create(file=fh)

        expect(APIError, failing_session)
        gc.collect()
    return 0


if __name__ == "__main__":
    sys.exit(main())
