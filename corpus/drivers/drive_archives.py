#!/usr/bin/env python3
"""Driver for agentkit/archives.py: tar, zip, gzip, bz2 and xz helpers, good and bad inputs."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
import gc
import io
import lzma
import os
import resource
import signal
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from agentkit import archives  # noqa: E402
from agentkit.archives import UnsafeArchiveError  # noqa: E402


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


@contextlib.contextmanager
def file_size_limit(limit: int) -> Iterator[None]:
    """Lower RLIMIT_FSIZE for the block: a write past ``limit`` fails with EFBIG.

    SIGXFSZ is ignored meanwhile (the write then raises instead of killing the
    process); the limit and the handler are restored on the way out.
    """
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    handler = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, handler)


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="drive-archives-") as tmp:
        root = Path(tmp)
        src = root / "artifacts"
        (src / "sub").mkdir(parents=True)
        (src / "a.txt").write_text("alpha\n", encoding="utf-8")
        (src / "sub" / "b.txt").write_text("beta\n" * 20, encoding="utf-8")

        # tar
        plain = root / "plain.tar"
        tgz = root / "artifacts.tar.gz"
        assert archives.pack_directory(src, plain, compression="") == ["a.txt", "sub/b.txt"]
        assert archives.pack_directory(src, tgz) == ["a.txt", "sub/b.txt"]
        assert archives.pack_directory(src, root / "artifacts.tar.xz", compression="xz") == ["a.txt", "sub/b.txt"]
        gc.collect()  # finalize any unreachable writer before the archives are read back
        assert archives.list_tar(plain) == ["a.txt", "sub/b.txt"]
        assert sorted(archives.list_tar(tgz)) == ["a.txt", "sub/b.txt"]
        # Cut inside the second member's data: the archive opens, listing it fails.
        raw = plain.read_bytes()
        (root / "truncated.tar").write_bytes(raw[: raw.index(b"sub/b.txt") + 512 + 10])
        with raises(tarfile.ReadError):
            archives.list_tar(root / "truncated.tar")
        assert archives.read_tar_member(tgz, "a.txt") == b"alpha\n"
        expect(KeyError, archives.read_tar_member, tgz, "nope.txt")
        out = archives.safe_extract(tgz, root / "extracted")
        assert [p.read_text(encoding="utf-8") for p in out][0] == "alpha\n"
        # A member larger than the file size limit: the copy into the output file fails.
        big = root / "big.tar"
        with tarfile.open(big, "w") as tar:
            info = tarfile.TarInfo("big.bin")
            info.size = 256 * 1024
            tar.addfile(info, io.BytesIO(bytes(info.size)))
        with file_size_limit(64 * 1024):
            expect(OSError, archives.safe_extract, big, root / "big-out")

        linked = root / "linked"
        linked.mkdir()
        os.symlink(src / "a.txt", linked / "link.txt")
        expect(UnsafeArchiveError, archives.pack_directory, linked, root / "linked.tar.gz")
        # Uncompressed too: a gzip-wrapped tar closes its file silently when collected.
        expect(UnsafeArchiveError, archives.pack_directory, linked, root / "linked.tar", compression="")

        evil = root / "evil.tar"
        with tarfile.open(evil, "w") as tar:
            dir_info = tarfile.TarInfo("dir")
            dir_info.type = tarfile.DIRTYPE
            tar.addfile(dir_info)
            info = tarfile.TarInfo("../escape.txt")
            info.size = 3
            tar.addfile(info, io.BytesIO(b"bad"))
        expect(UnsafeArchiveError, archives.safe_extract, evil, root / "evil-out")
        assert not (root / "escape.txt").exists()
        expect(ValueError, archives.read_tar_member, evil, "dir")
        with tarfile.open(root / "dirs.tar", "w") as tar:
            tar.addfile(dir_info)
        assert archives.safe_extract(root / "dirs.tar", root / "dirs-out") == []
        assert (root / "dirs-out" / "dir").is_dir()

        # zip
        z = root / "bundle.zip"
        assert archives.zip_paths([src / "a.txt", src / "sub" / "b.txt"], z) == 2
        expect(FileNotFoundError, archives.zip_paths, [src / "a.txt", src / "missing"], root / "partial.zip")
        assert archives.read_zip_member(z, "b.txt").startswith(b"beta")
        expect(KeyError, archives.read_zip_member, z, "missing.txt")
        manifest = archives.zip_manifest(z)
        assert set(manifest) == {"a.txt", "b.txt"} and manifest["a.txt"]["size"] == 6
        archives.append_to_zip(z, "c.txt", b"gamma")
        assert archives.read_zip_member(z, "c.txt") == b"gamma"
        expect(FileExistsError, archives.append_to_zip, z, "c.txt", b"again")

        stored = root / "stored.zip"
        with zipfile.ZipFile(stored, "w", compression=zipfile.ZIP_STORED) as zf:
            zf.writestr("data.bin", b"A" * 64)
        raw = bytearray(stored.read_bytes())
        raw[raw.index(b"A" * 64)] = ord("B")
        stored.write_bytes(bytes(raw))
        expect(zipfile.BadZipFile, archives.zip_manifest, stored)

        # gzip / bz2 / xz
        text = src / "sub" / "b.txt"
        assert archives.gzip_file(text, root / "b.txt.gz") > 0
        # The target's folder is missing: opening it raises while the source is open.
        expect(FileNotFoundError, archives.gzip_file, text, root / "no-such-dir" / "b.txt.gz")
        gc.collect()
        assert archives.gunzip_text(root / "b.txt.gz") == text.read_text(encoding="utf-8")
        with raises(OSError):
            archives.gunzip_text(text)

        archives.bz2_write_lines(root / "lines.bz2", ["one", "two"])
        assert archives.bz2_read_lines(root / "lines.bz2") == ["one", "two"]
        expect(TypeError, archives.bz2_write_lines, root / "bad.bz2", ["ok", 3])
        expect(OSError, archives.bz2_read_lines, text)

        assert archives.xz_file(text, root / "b.txt.xz") == text.stat().st_size
        assert archives.unxz_bytes(root / "b.txt.xz") == text.read_bytes()
        with raises(lzma.LZMAError):
            archives.unxz_bytes(text)
        expect(lzma.LZMAError, archives.xz_file, text, root / "bad.xz", preset=99)

        for name in ("b.txt.gz", "lines.bz2", "b.txt.xz"):
            assert archives.count_lines(root / name) in (2, 20)
            with archives.open_compressed(root / name, "rb") as fh:
                assert fh.read(1)
        assert archives.count_lines(text) == 20
        (root / "fake.gz").write_bytes(b"not gzip data")
        expect(OSError, archives.count_lines, root / "fake.gz")
        archives.recompress(root / "b.txt.gz", root / "b2.txt.bz2")
        assert archives.bz2_read_lines(root / "b2.txt.bz2")[0] == "beta"
        expect(OSError, archives.recompress, root / "fake.gz", root / "never.xz")
        gc.collect()
    return 0


if __name__ == "__main__":
    sys.exit(main())
