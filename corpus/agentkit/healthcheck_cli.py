"""Command-line entry point for the service health check.

Usage::

    python -m agentkit.healthcheck_cli SAMPLE [--manifest FILE] [--scratch DIR] [--output FILE]

Exit status is 0 when every check passes, 1 when any fails, 2 on bad usage.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path
from typing import Any, Sequence

from agentkit.health import check_writable, load_manifest, load_sample, read_wav_header


def run_checks(sample: Path, *, manifest: Path | None = None, scratch: Path | None = None) -> dict[str, Any]:
    """Run the checks and return a JSON-serialisable report."""
    checks: dict[str, bool] = {}
    details: dict[str, Any] = {"sample": str(sample)}

    data = load_sample(sample)
    digest = hashlib.sha256(data).hexdigest()
    details["sha256"] = digest
    details["bytes"] = len(data)
    checks["sample_nonempty"] = bool(data)

    if manifest is not None:
        expected = load_manifest(manifest).get(sample.name)
        checks["digest_matches"] = expected == digest

    try:
        details["header"] = read_wav_header(sample)
        checks["header_valid"] = True
    except ValueError:
        checks["header_valid"] = False

    if scratch is not None:
        checks["scratch_writable"] = check_writable(scratch)

    return {"ok": all(checks.values()), "checks": checks, "details": details}


def compare_samples(first: Path, second: Path) -> bool:
    """True if two samples have identical content."""
    return load_sample(first) == load_sample(second)


def write_report(report: dict[str, Any], path: Path) -> None:
    with open(path, "w", encoding="utf-8") as out:
        json.dump(report, out, indent=2, sort_keys=True)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="agentkit-healthcheck", description=__doc__.splitlines()[0])
    parser.add_argument("sample", type=Path, help="reference WAV sample")
    parser.add_argument("--manifest", type=Path, help="JSON manifest of expected digests")
    parser.add_argument("--scratch", type=Path, help="directory that must be writable")
    parser.add_argument("--output", type=Path, help="write the JSON report here instead of stdout")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if not args.sample.is_file():
        print(f"error: {args.sample} is not a file", file=sys.stderr)
        return 2
    report = run_checks(args.sample, manifest=args.manifest, scratch=args.scratch)
    if args.output is not None:
        write_report(report, args.output)
    else:
        json.dump(report, sys.stdout, indent=2, sort_keys=True)
        sys.stdout.write("\n")
    return 0 if report["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
