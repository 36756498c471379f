#!/usr/bin/env python3
"""Driver for agentkit/cache.py: every helper and DiskCache method, with failing writes and reads."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
import gc
import json
import pickle
import sys
import tempfile
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from agentkit import cache  # noqa: E402


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
    unpicklable = threading.Lock()
    with tempfile.TemporaryDirectory(prefix="drive-cache-") as tmp:
        root = Path(tmp)
        state = {"step": 3, "history": ["a", "b"], "ok": True}

        # Pickles.
        pkl = root / "nested" / "state.pkl"
        cache.save_pickle(pkl, state)
        assert cache.load_pickle(pkl) == state
        expect(TypeError, cache.save_pickle, root / "bad.pkl", {"lock": unpicklable})
        (root / "corrupt.pkl").write_bytes(b"\x80\x05garbage")
        with raises(pickle.UnpicklingError):
            cache.load_pickle(root / "corrupt.pkl")

        # JSON.
        doc = root / "doc.json"
        cache.save_json(doc, state)
        assert cache.load_json(doc) == state
        expect(TypeError, cache.save_json, root / "bad.json", {"s": {1, 2}})
        (root / "corrupt.json").write_text("{oops", encoding="utf-8")
        with raises(json.JSONDecodeError):
            cache.load_json(root / "corrupt.json")
        assert cache.load_json_or_default(doc) == state
        assert cache.load_json_or_default(root / "missing.json", {}) == {}
        assert cache.load_json_or_default(root / "corrupt.json", "d") == "d"
        (root / "latin1.json").write_bytes(b'"\xff"')
        assert cache.load_json_or_default(root / "latin1.json", "d") == "d"

        atomic = root / "atomic.json"
        cache.atomic_save_json(atomic, state)
        cache.atomic_save_json(atomic, {"v": 2})
        assert cache.load_json(atomic) == {"v": 2}
        expect(TypeError, cache.atomic_save_json, atomic, {"s": {1}})
        assert cache.load_json(atomic) == {"v": 2}
        assert not list(root.glob(".atomic.json.*")), "temporary file left behind"

        # Compressed variants.
        big = {"rows": [{"i": i, "sq": i * i} for i in range(200)]}
        cache.save_compressed_json(root / "big.json.gz", big)
        assert cache.load_compressed_json(root / "big.json.gz") == big
        expect(TypeError, cache.save_compressed_json, root / "bad.json.gz", {"b": b"bytes"})
        (root / "notgz.json.gz").write_bytes(b"plain")
        with raises(OSError):
            cache.load_compressed_json(root / "notgz.json.gz")

        cache.save_pickle_bz2(root / "state.pkl.bz2", state)
        assert cache.load_pickle_bz2(root / "state.pkl.bz2") == state
        expect(TypeError, cache.save_pickle_bz2, root / "bad.pkl.bz2", unpicklable)
        (root / "notbz2.pkl.bz2").write_bytes(b"plain")
        with raises(OSError):
            cache.load_pickle_bz2(root / "notbz2.pkl.bz2")

        assert len(cache.file_digest(doc)) == 64
        with raises(IsADirectoryError):
            cache.file_digest(root)

        # DiskCache.
        dc = cache.DiskCache(root / "dc")
        assert dc.get("missing", 42) == 42 and dc.misses == 1
        dc.set("k1", [1, 2, 3])
        dc.set("k2", "two")
        assert dc.get("k1") == [1, 2, 3] and dc.hits == 1
        assert "k1" in dc and "nope" not in dc
        assert len(dc) == 2 and len(list(iter(dc))) == 2
        expect(TypeError, dc.set, "k3", unpicklable)
        assert "k3" not in dc
        assert dc.delete("k2") and not dc.delete("k2")

        calls = []

        @dc.memoize
        def slow_square(n: int) -> int:
            calls.append(n)
            return n * n

        assert slow_square(7) == 49 and slow_square(7) == 49 and calls == [7]
        assert dc.clear() == 2 and len(dc) == 0

        # FileLock: exclusive across open files, released on exit, even by exception.
        lock_path = root / "cache.lock"
        with cache.FileLock(lock_path) as held:
            assert held.locked
            expect(RuntimeError, held.__enter__)
            expect(TimeoutError, cache.FileLock(lock_path, timeout=0.03).__enter__)
        assert not held.locked

        def failing_critical_section() -> None:
            with cache.FileLock(lock_path):
                raise LookupError("cache entry vanished")

        expect(LookupError, failing_critical_section)
        with cache.FileLock(lock_path, timeout=0):
            pass
        expect(IsADirectoryError, cache.FileLock(root).__enter__)
        gc.collect()
    return 0


if __name__ == "__main__":
    sys.exit(main())
