#!/usr/bin/env python3
"""Driver for agentkit/bundles.py: compressed transcripts, zip and tar bundles, summaries."""

from __future__ import annotations

import bz2
import io
import lzma
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from agentkit import bundles  # noqa: E402


def expect(exc: type[BaseException], fn, *args, **kwargs) -> None:
    """Call ``fn`` and require it to raise ``exc``; the exception is discarded."""
    try:
        fn(*args, **kwargs)
    except exc:
        return
    raise AssertionError(f"{getattr(fn, '__qualname__', fn)} did not raise {exc.__name__}")


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="drive-bundles-") as tmp:
        root = Path(tmp)
        text = "user: hello\nagent: hi there\n"

        # Compressed transcripts; a file that is not what its suffix says fails in read().
        (root / "t.txt.bz2").write_bytes(bz2.compress(text.encode("utf-8")))
        assert bundles.read_bz2_transcript(root / "t.txt.bz2") == text
        (root / "fake.bz2").write_bytes(b"plain text, not bzip2\n")
        expect(OSError, bundles.read_bz2_transcript, root / "fake.bz2")
        (root / "run.log.xz").write_bytes(lzma.compress(text.encode("utf-8")))
        assert bundles.read_xz_lines(root / "run.log.xz") == ["user: hello", "agent: hi there"]
        (root / "fake.xz").write_bytes(b"plain text, not xz\n")
        expect(lzma.LZMAError, bundles.read_xz_lines, root / "fake.xz")

        # Zip bundles.
        bundle = root / "attachments.zip"
        with zipfile.ZipFile(bundle, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            zf.writestr("notes/", "")
            zf.writestr("notes/a.txt", "alpha\n")
            zf.writestr("b.json", '{"b": 1}\n')
        assert bundles.zip_names(bundle) == ["b.json", "notes/", "notes/a.txt"]
        assert bundles.zip_is_intact(bundle)
        assert bundles.zip_sizes(bundle) == {"notes/a.txt": 6, "b.json": 9}
        expect(zipfile.BadZipFile, bundles.zip_names, root / "t.txt.bz2")

        # Tar snapshots; a snapshot cut inside its second member opens, listing it fails.
        snap = root / "snapshot.tar"
        with tarfile.open(snap, "w") as tar:
            for name, payload in (("a.txt", b"alpha\n"), ("sub/b.txt", b"beta\n" * 200)):
                info = tarfile.TarInfo(name)
                info.size = len(payload)
                tar.addfile(info, io.BytesIO(payload))
        assert [m.name for m in bundles.tar_members(snap)] == ["a.txt", "sub/b.txt"]
        assert bundles.tar_file_names(snap) == ["a.txt", "sub/b.txt"]
        raw = snap.read_bytes()
        (root / "cut.tar").write_bytes(raw[: raw.index(b"sub/b.txt") + 512 + 10])
        expect(tarfile.ReadError, bundles.tar_members, root / "cut.tar")
        expect(tarfile.ReadError, bundles.tar_file_names, root / "cut.tar")

        # Summaries.
        csv_text = bundles.export_inventory([{"bundle": "attachments.zip", "member": "b.json", "size": 9}])
        assert csv_text.splitlines() == ["bundle,member,size", "attachments.zip,b.json,9"], csv_text
        expect(ValueError, bundles.export_inventory, [{"bundle": "x", "member": "y", "size": 1, "owner": "z"}])
        assert bundles.manifest_jsonl(bundle).splitlines() == [
            b'{"member": "notes/a.txt", "size": 6}',
            b'{"member": "b.json", "size": 9}',
        ]
        assert bundles.encode_jsonl(({"i": i} for i in range(500)), max_memory=256).count(b"\n") == 500
        expect(TypeError, bundles.encode_jsonl, [{"tags": {"a", "b"}}])
    return 0


if __name__ == "__main__":
    sys.exit(main())
