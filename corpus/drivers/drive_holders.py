#!/usr/bin/env python3
"""Driver for agentkit/holders.py (temporary directory, no network but file:// URLs)."""

from __future__ import annotations

import bz2
import contextlib
import gzip
import io
import json
import lzma
import sys
import tarfile
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from agentkit import holders  # noqa: E402


@contextlib.contextmanager
def raises(exc: type[BaseException]) -> Iterator[None]:
    """Require the block to raise ``exc``; the exception is discarded."""
    try:
        yield
    except exc:
        return
    raise AssertionError(f"the block did not raise {exc.__name__}")


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)

        with gzip.open(d / "app.log.gz", "wt") as f:
            f.write("t0 INFO start\nt1 ERROR disk full\nt2 INFO retry\n")
        with bz2.open(d / "metrics.csv.bz2", "wt") as f:
            f.write("ts,cpu\n0,0.5\n1,0.9\n")
        with lzma.open(d / "trace.jsonl.xz", "wt") as f:
            f.write('{"span": "a"}\n{"span": "b"}\n')
        bundle = holders.IncidentBundle(d)
        try:
            assert bundle.errors() == ["t1 ERROR disk full"]
            assert bundle.peak("cpu") == 0.9
            assert [s["span"] for s in bundle.spans()] == ["a", "b"]
        finally:
            bundle.close()

        with gzip.open(d / "new.log.gz", "wt") as f:
            f.write("t0 INFO start\nt1 WARN disk low\n")
        with contextlib.closing(holders.LogComparer(d / "app.log.gz", d / "new.log.gz")) as cmp:
            assert cmp.first_difference() == 2

        payload = b"export-bytes" * 100
        (d / "export.bz2").write_bytes(bz2.compress(payload))
        (d / "export.xz").write_bytes(lzma.compress(payload))
        with contextlib.closing(holders.MirrorChecker(d / "export.bz2", d / "export.xz")) as mc:
            a, b = mc.digests()
            assert a == b

        blob = b"alphabetagamma"
        (d / "blob.xz").write_bytes(lzma.compress(blob))
        with bz2.open(d / "index.bz2", "wt") as f:
            f.write("a\t0\t5\nb\t5\t4\ng\t9\t5\n")
        with contextlib.closing(holders.ColdIndex(d / "index.bz2", d / "blob.xz")) as idx:
            assert idx.load() == 3
            assert idx.get("b") == b"beta"
            with raises(KeyError):
                idx.get("z")

        wheel = d / "pkg.whl"
        with zipfile.ZipFile(wheel, "w") as zf:
            zf.writestr("pkg/__init__.py", "")
        sdist = d / "pkg-1.tar"
        with tarfile.open(sdist, "w") as tf:
            for name in ("pkg-1/pkg/__init__.py", "pkg-1/pkg/extra.py"):
                info = tarfile.TarInfo(name)
                tf.addfile(info, io.BytesIO(b""))
        with contextlib.closing(holders.PackageInspector(wheel, sdist)) as pi:
            assert pi.missing_from_wheel() == ["pkg/extra.py"]

        plugins = d / "plugins.zip"
        with zipfile.ZipFile(plugins, "w") as zf:
            zf.writestr("search/plugin.json", '{"entry": "search.main"}')
            zf.writestr("search/main.py", "")
        reg = holders.PluginRegistry(plugins)
        try:
            assert reg.plugins() == {"search": {"entry": "search.main"}}
        finally:
            reg.close()

        with contextlib.closing(holders.UploadBody(limit=8)) as body:
            body.feed(b"0123456789")
            assert len(body.digest()) == 64
        with contextlib.closing(holders.ReportBuilder("Run")) as rep:
            rep.section("Steps", ["plan", "act"])
            assert rep.render().startswith("# Run\n")
        with contextlib.closing(holders.ResponseRecorder()) as rec:
            rec.record("hi", "hello")
            assert rec.replay() == [{"prompt": "hi", "response": "hello"}]

        feed = d / "feed.txt"
        feed.write_text("one\ntwo\nthree\n")
        with contextlib.closing(holders.FeedStream(feed.as_uri())) as fs:
            assert fs.lines(2) == ["one", "two"]
        manifest = d / "manifest.json"
        manifest.write_text(json.dumps({"entries": ["a", "b"]}))
        with contextlib.closing(holders.RemoteManifest(manifest.as_uri())) as rm:
            assert rm.size() > 0
            assert rm.entries() == ["a", "b"]

        with contextlib.closing(holders.DigestPool(1)) as dp:
            assert len(dp.digests([str(feed)])[str(feed)]) == 64
        with contextlib.closing(holders.TokenEstimator()) as te:
            assert te.estimate(["a b", "c"]) == 3
        with contextlib.closing(holders.BatchEvaluator()) as be:
            assert be.squares([1, 2, 3]) == [1, 4, 9]

        db = str(d / "state.db")
        with contextlib.closing(holders.MetricsDB(db)) as mdb:
            mdb.add("lat", 0.0, 2.0)
            mdb.add("lat", 1.0, 4.0)
            assert mdb.mean("lat") == 3.0
        with contextlib.closing(holders.SessionIndex(db)) as si:
            si.touch("s1", 1.0)
            si.touch("s2", 5.0)
            assert si.stale(2.0) == ["s1"]
        with contextlib.closing(holders.KeyValueStore(db)) as kv:
            kv.put("k", [1, 2])
            assert kv.get("k") == [1, 2]
            with raises(KeyError):
                kv.get("missing")
    return 0


if __name__ == "__main__":
    sys.exit(main())
