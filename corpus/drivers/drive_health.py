#!/usr/bin/env python3
"""Driver for agentkit/health.py: sample loading, header parsing and the combined check."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
import gc
import hashlib
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from agentkit import health  # noqa: E402


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


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="drive-health-") as tmp:
        root = Path(tmp)
        sample = health.write_reference_sample(root / "reference.wav", seconds=0.1)
        data = health.load_sample(sample)
        assert data[:4] == b"RIFF"
        digest = health.sample_digest(sample)
        assert digest == hashlib.sha256(data).hexdigest()
        with raises(FileNotFoundError):
            health.load_sample(root / "missing.wav")

        header = health.read_wav_header(sample)
        assert header == {"format": 1, "channels": 1, "rate": 8000, "bits": 16, "data_size": 3200}, header
        (root / "short.wav").write_bytes(b"RIFF")
        expect(ValueError, health.read_wav_header, root / "short.wav")

        manifest = root / "manifest.json"
        manifest.write_text(json.dumps({"reference.wav": digest}), encoding="utf-8")
        assert health.load_manifest(manifest) == {"reference.wav": digest}
        (root / "list.json").write_text("[1, 2]", encoding="utf-8")
        expect(ValueError, health.load_manifest, root / "list.json")
        (root / "broken.json").write_text("{", encoding="utf-8")
        expect(json.JSONDecodeError, health.load_manifest, root / "broken.json")

        assert health.check_writable(root)
        assert not health.check_writable(root / "no-such-dir")

        report = health.check_sample(sample, expected_digest=digest, scratch=root)
        assert report.ok, report
        assert report.to_dict()["checks"]["digest_matches"]
        bad = health.check_sample(root / "short.wav", expected_digest=digest)
        assert not bad.ok and not bad.checks["header_valid"]
        assert health.check_sample(sample).ok
        gc.collect()
    return 0


if __name__ == "__main__":
    sys.exit(main())
