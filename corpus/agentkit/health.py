"""Health-check helpers for the transcription service.

The service ships a short reference recording. A health check loads it,
verifies its digest against the value recorded at deploy time, and checks
that the scratch directory is writable.
"""

from __future__ import annotations

import array
import hashlib
import json
import math
import struct
import sys
import tempfile
import wave
from dataclasses import asdict, dataclass, field
from os import PathLike
from pathlib import Path
from typing import Any

StrPath = str | PathLike[str]

WAV_HEADER_SIZE = 44


@dataclass
class HealthReport:
    ok: bool
    checks: dict[str, bool] = field(default_factory=dict)
    details: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def load_sample(path: StrPath) -> bytes:
    """Return the raw bytes of the reference sample."""
    with open(path, "rb") as f:
        return f.read()


def sample_digest(path: StrPath) -> str:
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def read_wav_header(path: StrPath) -> dict[str, int]:
    """Parse the canonical 44-byte PCM WAV header of ``path``."""
    with Path(path).open("rb") as f:
        header = f.read(WAV_HEADER_SIZE)
        if len(header) < WAV_HEADER_SIZE or header[:4] != b"RIFF" or header[8:12] != b"WAVE":
            raise ValueError(f"{path}: not a canonical PCM WAV file")
        (fmt_tag, channels, rate, _byte_rate, _align, bits) = struct.unpack("<HHIIHH", header[20:36])
        (data_size,) = struct.unpack("<I", header[40:44])
    return {"format": fmt_tag, "channels": channels, "rate": rate, "bits": bits, "data_size": data_size}


def load_manifest(path: StrPath) -> dict[str, str]:
    """Load the deploy manifest mapping sample names to expected digests."""
    with open(path, encoding="utf-8") as f:
        manifest = json.load(f)
    if not isinstance(manifest, dict):
        raise ValueError(f"{path}: manifest must be a JSON object")
    return manifest


def check_writable(directory: StrPath) -> bool:
    """True if a scratch file can be created, written and read back in ``directory``."""
    try:
        with tempfile.TemporaryFile(dir=directory) as probe:
            probe.write(b"health-probe")
            probe.seek(0)
            return probe.read() == b"health-probe"
    except OSError:
        return False


def write_reference_sample(
    path: StrPath, *, seconds: float = 0.5, rate: int = 8000, freq: float = 440.0, amplitude: int = 8000
) -> Path:
    """Write the reference recording: a sine tone followed by equal silence."""
    n = int(seconds * rate)
    samples = array.array("h", (int(amplitude * math.sin(2 * math.pi * freq * i / rate)) for i in range(n)))
    samples.extend([0] * n)
    if sys.byteorder == "big":
        samples.byteswap()
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(samples.tobytes())
    return Path(path)


def check_sample(path: StrPath, *, expected_digest: str | None = None, scratch: StrPath | None = None) -> HealthReport:
    """Run all checks against the sample at ``path``."""
    report = HealthReport(ok=True)
    data = load_sample(path)
    report.details["size"] = len(data)
    report.checks["sample_readable"] = len(data) > WAV_HEADER_SIZE
    if expected_digest is not None:
        report.checks["digest_matches"] = hashlib.sha256(data).hexdigest() == expected_digest
    try:
        report.details["header"] = read_wav_header(path)
        report.checks["header_valid"] = True
    except ValueError as exc:
        report.details["header_error"] = str(exc)
        report.checks["header_valid"] = False
    if scratch is not None:
        report.checks["scratch_writable"] = check_writable(scratch)
    report.ok = all(report.checks.values())
    return report
