#!/usr/bin/env python3
"""Driver for agentkit/store.py: the task store and the import/export/backup helpers."""

from __future__ import annotations

import gc
import json
import lzma
import sqlite3
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from agentkit import store  # noqa: E402
from agentkit.store import TaskNotFound, TaskStore  # noqa: E402


def expect(exc: type[BaseException], fn, *args, **kwargs) -> None:
    """Call ``fn`` and require it to raise ``exc``; the exception is discarded."""
    try:
        fn(*args, **kwargs)
    except exc:
        return
    raise AssertionError(f"{getattr(fn, '__qualname__', fn)} did not raise {exc.__name__}")


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="drive-store-") as tmp:
        root = Path(tmp)
        db = root / "tasks.db"

        with TaskStore(db) as ts:
            first = ts.add("transcribe", {"path": "a.wav"})
            second = ts.add("summarise")
            expect(ValueError, ts.add, "")
            expect(TypeError, ts.add, "bad payload", {"x": object()})
            task = ts.claim_next()
            assert task is not None and task.id == first and task.status == "running"
            ts.finish(first, {"text": "hello"})
            expect(TaskNotFound, ts.finish, first, "again")  # no longer running: rolled back
            assert ts.get(first).result == {"text": "hello"}
            expect(TaskNotFound, ts.get, 999)
            assert ts.claim_next().id == second
            ts.finish(second, "timeout", failed=True)
            assert ts.claim_next() is None
            assert [t.id for t in ts.by_status("done")] == [first]
            assert ts.counts() == {"done": 1, "failed": 1}

        # Explicit close, and a with-body that raises.
        ts2 = TaskStore(db)
        ts2.add("third")
        ts2.close()

        def failing_session() -> None:
            with TaskStore(db) as s:
                s.add("fourth")
                raise RuntimeError("worker crashed")

        expect(RuntimeError, failing_session)
        (root / "not-a-db").write_bytes(b"this is not an sqlite database, just text padding" * 4)
        expect(sqlite3.DatabaseError, TaskStore, root / "not-a-db")

        assert store.count_rows(db) == 4
        assert store.enqueue_many(root / "bulk.db", ["a", "b", "c"], {"batch": 1}) == [1, 2, 3]
        expect(ValueError, store.enqueue_many, root / "bulk.db", ["d", ""])
        assert store.count_rows(root / "bulk.db") == 4
        expect(ValueError, store.count_rows, db, "tasks; DROP TABLE tasks")
        expect(sqlite3.OperationalError, store.count_rows, db, "no_such_table")

        csv_path = root / "tasks.csv"
        assert store.export_csv(db, csv_path) == 4
        copy = root / "copy.db"
        assert store.import_csv(copy, csv_path) == 4
        assert store.count_rows(copy) == 4
        (root / "bad-header.csv").write_text("a,b\n1,2\n", encoding="utf-8")
        expect(ValueError, store.import_csv, copy, root / "bad-header.csv")
        (root / "bad-payload.csv").write_text(
            ",".join(store.CSV_COLUMNS) + '\n1,t,{oops,pending,\n', encoding="utf-8"
        )
        expect(json.JSONDecodeError, store.import_csv, copy, root / "bad-payload.csv")
        (root / "bad-status.csv").write_text(
            ",".join(store.CSV_COLUMNS) + '\n1,t,{},pending,\n2,u,{},exploded,\n', encoding="utf-8"
        )
        expect(sqlite3.IntegrityError, store.import_csv, copy, root / "bad-status.csv")
        assert store.count_rows(copy) == 4  # the failed import was rolled back
        expect(sqlite3.OperationalError, store.export_csv, root / "empty.db", root / "empty.csv")

        dump = root / "tasks.sql.xz"
        assert store.dump_sql(db, dump) > 0
        restored = root / "restored.db"
        store.restore_sql(dump, restored)
        assert store.count_rows(restored) == 4
        (root / "bad.sql.xz").write_bytes(b"not xz")
        expect(lzma.LZMAError, store.restore_sql, root / "bad.sql.xz", root / "never.db")

        backup = root / "backup.db"
        store.backup(db, backup)
        expect(sqlite3.OperationalError, store.backup, db, root / "no-such-dir" / "backup.db")
        with TaskStore(backup) as b:
            assert b.counts()["pending"] == 2
        gc.collect()
    return 0


if __name__ == "__main__":
    sys.exit(main())
