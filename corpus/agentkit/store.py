"""A small SQLite-backed task queue for agent jobs.

:class:`TaskStore` owns one connection for its lifetime. Every write runs
inside ``with self._conn:`` so it commits on success and rolls back if the
block raises. Module-level helpers open short-lived connections and always
close them.
"""

from __future__ import annotations

import contextlib
import csv
import json
import lzma
import re
import sqlite3
import time
from dataclasses import dataclass
from os import PathLike
from typing import Any

StrPath = str | PathLike[str]

SCHEMA = """
CREATE TABLE IF NOT EXISTS tasks (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    title TEXT NOT NULL,
    payload TEXT NOT NULL DEFAULT '{}',
    status TEXT NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'running', 'done', 'failed')),
    result TEXT,
    created REAL NOT NULL,
    updated REAL NOT NULL
)
"""

CSV_COLUMNS = ("id", "title", "payload", "status", "result")
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class TaskNotFound(KeyError):
    """No task with the requested id (or not in the expected state)."""


@dataclass(frozen=True)
class Task:
    id: int
    title: str
    payload: dict[str, Any]
    status: str
    result: Any = None

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> "Task":
        return cls(
            id=row["id"],
            title=row["title"],
            payload=json.loads(row["payload"]),
            status=row["status"],
            result=None if row["result"] is None else json.loads(row["result"]),
        )


class TaskStore:
    """A persistent FIFO of tasks with pending -> running -> done/failed states."""

    def __init__(self, path: StrPath) -> None:
        self.path = path
        self._conn = sqlite3.connect(path)
        try:
            self._conn.row_factory = sqlite3.Row
            with self._conn:
                self._conn.execute(SCHEMA)
        except BaseException:
            self._conn.close()
            raise

    def add(self, title: str, payload: dict[str, Any] | None = None) -> int:
        """Queue a task and return its id."""
        if not title:
            raise ValueError("title must not be empty")
        now = time.time()
        with self._conn:
            cur = self._conn.execute(
                "INSERT INTO tasks (title, payload, created, updated) VALUES (?, ?, ?, ?)",
                (title, json.dumps(payload or {}), now, now),
            )
            return cur.lastrowid

    def claim_next(self) -> Task | None:
        """Atomically move the oldest pending task to ``running`` and return it."""
        with self._conn:
            row = self._conn.execute(
                "SELECT * FROM tasks WHERE status = 'pending' ORDER BY id LIMIT 1"
            ).fetchone()
            if row is None:
                return None
            self._conn.execute(
                "UPDATE tasks SET status = 'running', updated = ? WHERE id = ?", (time.time(), row["id"])
            )
        return self.get(row["id"])

    def finish(self, task_id: int, result: Any, *, failed: bool = False) -> None:
        """Record the result of a running task."""
        status = "failed" if failed else "done"
        with self._conn:
            cur = self._conn.execute(
                "UPDATE tasks SET status = ?, result = ?, updated = ? WHERE id = ? AND status = 'running'",
                (status, json.dumps(result), time.time(), task_id),
            )
            if cur.rowcount != 1:
                raise TaskNotFound(task_id)

    def get(self, task_id: int) -> Task:
        row = self._conn.execute("SELECT * FROM tasks WHERE id = ?", (task_id,)).fetchone()
        if row is None:
            raise TaskNotFound(task_id)
        return Task.from_row(row)

    def by_status(self, status: str) -> list[Task]:
        rows = self._conn.execute("SELECT * FROM tasks WHERE status = ? ORDER BY id", (status,)).fetchall()
        return [Task.from_row(r) for r in rows]

    def counts(self) -> dict[str, int]:
        rows = self._conn.execute("SELECT status, COUNT(*) FROM tasks GROUP BY status").fetchall()
        return {status: n for status, n in rows}

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> "TaskStore":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def enqueue_many(db_path: StrPath, titles: list[str], payload: dict[str, Any] | None = None) -> list[int]:
    """Queue one task per title (each in its own transaction) and return the ids."""
    with TaskStore(db_path) as ts:
        return [ts.add(title, payload) for title in titles]


def count_rows(db_path: StrPath, table: str = "tasks") -> int:
    """Number of rows in ``table``; the table name is validated, not quoted."""
    if not _IDENTIFIER.match(table):
        raise ValueError(f"invalid table name {table!r}")
    conn = sqlite3.connect(db_path)
    try:
        (n,) = conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()
        return n
    finally:
        conn.close()


def export_csv(db_path: StrPath, csv_path: StrPath) -> int:
    """Write all tasks to ``csv_path``; returns the number of rows written."""
    with contextlib.closing(sqlite3.connect(db_path)) as conn, open(csv_path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(CSV_COLUMNS)
        rows = conn.execute(f"SELECT {', '.join(CSV_COLUMNS)} FROM tasks ORDER BY id").fetchall()
        writer.writerows(rows)
    return len(rows)


def import_csv(db_path: StrPath, csv_path: StrPath) -> int:
    """Append the tasks in a CSV written by :func:`export_csv` (ids are reassigned)."""
    with open(csv_path, newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        header = tuple(next(reader, ()))
        if header != CSV_COLUMNS:
            raise ValueError(f"{csv_path}: unexpected header {header!r}")
        rows = [row for row in reader if row]

    now = time.time()
    records = []
    for _id, title, payload, status, result in rows:
        json.loads(payload)  # reject corrupt payloads before touching the database
        records.append((title, payload, status, result or None, now, now))

    with contextlib.closing(sqlite3.connect(db_path)) as conn:
        conn.execute(SCHEMA)
        with conn:
            conn.executemany(
                "INSERT INTO tasks (title, payload, status, result, created, updated) VALUES (?, ?, ?, ?, ?, ?)",
                records,
            )
    return len(records)


def dump_sql(db_path: StrPath, dest: StrPath) -> int:
    """Write an xz-compressed SQL dump of the database; returns the statement count."""
    count = 0
    with contextlib.closing(sqlite3.connect(db_path)) as conn, lzma.open(dest, "wt", encoding="utf-8") as out:
        for statement in conn.iterdump():
            out.write(statement + "\n")
            count += 1
    return count


def restore_sql(dump_path: StrPath, db_path: StrPath) -> None:
    """Recreate a database from a dump written by :func:`dump_sql`."""
    with lzma.open(dump_path, "rt", encoding="utf-8") as f:
        script = f.read()
    conn = sqlite3.connect(db_path)
    try:
        conn.executescript(script)
    finally:
        conn.close()


def backup(src_path: StrPath, dst_path: StrPath) -> None:
    """Online copy of ``src_path`` to ``dst_path`` using SQLite's backup API."""
    with contextlib.closing(sqlite3.connect(src_path)) as src, contextlib.closing(sqlite3.connect(dst_path)) as dst:
        src.backup(dst)
