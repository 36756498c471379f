#!/usr/bin/env python3
"""Driver for agentkit/fetch.py, using file:// URLs to files in a temporary directory only."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
import gc
import json
import sys
import tempfile
import urllib.error
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from agentkit import fetch  # noqa: E402
from agentkit.fetch import FetchError  # noqa: E402


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
    with tempfile.TemporaryDirectory(prefix="drive-fetch-") as tmp:
        root = Path(tmp)
        doc = root / "doc.json"
        doc.write_text(json.dumps({"title": "notes", "n": 3}), encoding="utf-8")
        notes = root / "notes.txt"
        notes.write_text("héllo wörld\n", encoding="utf-8")
        binary = root / "blob.txt"
        binary.write_bytes(b"\xff\xfe\xfd")

        doc_url = fetch.path_to_url(doc)
        assert doc_url.startswith("file:///")
        assert fetch.check_url(doc_url) == doc_url
        expect(FetchError, fetch.check_url, "http://example.invalid/")
        expect(FetchError, fetch.fetch_bytes, "ftp://example.invalid/x")

        assert json.loads(fetch.fetch_bytes(doc_url)) == {"title": "notes", "n": 3}
        expect(FetchError, fetch.fetch_bytes, doc_url, limit=4)
        expect(urllib.error.URLError, fetch.fetch_bytes, fetch.path_to_url(root / "missing"))

        assert fetch.fetch_text(fetch.path_to_url(notes)) == "héllo wörld\n"
        expect(UnicodeDecodeError, fetch.fetch_text, fetch.path_to_url(binary))

        assert fetch.fetch_json(doc_url)["n"] == 3
        with raises(json.JSONDecodeError):
            fetch.fetch_json(fetch.path_to_url(notes))

        info = fetch.content_info(doc_url)
        assert info["content_type"] == "application/json" and info["length"] == doc.stat().st_size, info

        dest = root / "copy.json"
        assert fetch.download(doc_url, dest) == doc.stat().st_size
        assert dest.read_bytes() == doc.read_bytes()
        expect(FetchError, fetch.download, doc_url, root / "too-big.json", limit=2)
        expect(IsADirectoryError, fetch.download, doc_url, root)
        gc.collect()
    return 0


if __name__ == "__main__":
    sys.exit(main())
