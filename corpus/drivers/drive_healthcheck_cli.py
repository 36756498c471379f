#!/usr/bin/env python3
"""Driver for agentkit/healthcheck_cli.py: the checks, the report writer and main()."""

from __future__ import annotations

import contextlib
import gc
import hashlib
import io
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from agentkit import healthcheck_cli  # noqa: E402
from agentkit.health import write_reference_sample  # noqa: E402


def expect(exc: type[BaseException], fn, *args, **kwargs) -> None:
    """Call ``fn`` and require it to raise ``exc``; the exception is discarded."""
    try:
        fn(*args, **kwargs)
    except exc:
        return
    raise AssertionError(f"{getattr(fn, '__qualname__', fn)} did not raise {exc.__name__}")


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="drive-healthcheck-") as tmp:
        root = Path(tmp)
        sample = write_reference_sample(root / "reference.wav", seconds=0.1)
        other = write_reference_sample(root / "other.wav", seconds=0.1, freq=880.0)
        digest = hashlib.sha256(sample.read_bytes()).hexdigest()
        manifest = root / "manifest.json"
        manifest.write_text(json.dumps({"reference.wav": digest}), encoding="utf-8")

        report = healthcheck_cli.run_checks(sample, manifest=manifest, scratch=root)
        assert report["ok"] and report["checks"]["digest_matches"], report
        assert not healthcheck_cli.run_checks(other, manifest=manifest)["ok"]
        assert healthcheck_cli.run_checks(sample)["ok"]
        expect(FileNotFoundError, healthcheck_cli.run_checks, root / "missing.wav")

        assert healthcheck_cli.compare_samples(sample, sample)
        assert not healthcheck_cli.compare_samples(sample, other)

        out = root / "report.json"
        healthcheck_cli.write_report(report, out)
        assert json.loads(out.read_text(encoding="utf-8")) == report
        expect(TypeError, healthcheck_cli.write_report, {"bad": object()}, root / "bad.json")

        assert healthcheck_cli.build_parser().prog == "agentkit-healthcheck"
        assert healthcheck_cli.main([str(sample), "--manifest", str(manifest), "--output", str(out)]) == 0
        assert healthcheck_cli.main([str(other), "--manifest", str(manifest), "--output", str(out)]) == 1
        stdout = io.StringIO()
        with contextlib.redirect_stdout(stdout):
            assert healthcheck_cli.main([str(sample), "--scratch", str(root)]) == 0
        assert json.loads(stdout.getvalue())["ok"]
        # Usage errors print to stderr; nothing is opened before they happen.
        with contextlib.redirect_stderr(io.StringIO()):
            assert healthcheck_cli.main([str(root / "missing.wav")]) == 2
            expect(SystemExit, healthcheck_cli.main, ["--bogus"])
        gc.collect()
    return 0


if __name__ == "__main__":
    sys.exit(main())
