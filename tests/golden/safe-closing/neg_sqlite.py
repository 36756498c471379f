import sqlite3


def insert(db, row):
    conn = sqlite3.connect(db)
    try:
        with conn:
            conn.execute("INSERT INTO t VALUES (?)", (row,))
    finally:
        conn.close()


def count(db):
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT count(*) FROM t").fetchone()[0]
