import bz2
import lzma
import multiprocessing
import sqlite3
import tempfile
from subprocess import Popen as Spawn


class Bz:
    def __init__(self, path):
        self._bz = bz2.open(path, "rb")  # noqa: SIM115  # released in close()

    def close(self):
        self._bz.close()


class Xz:
    def __init__(self, path):
        self._xz = lzma.open(path, "wb")

    def close(self):
        self._xz.close()


class Anonymous:
    def __init__(self):
        self._tmp = tempfile.TemporaryFile()

    def close(self):
        self._tmp.close()


class Spooled:
    def __init__(self):
        self._spool = tempfile.SpooledTemporaryFile(max_size=1024)

    def close(self):
        self._spool.close()


class Pooled:
    def __init__(self):
        self._pool = multiprocessing.Pool(2)

    def map(self, fn, items):
        return self._pool.map(fn, items)

    def terminate(self):
        self._pool.terminate()


class Aliased:
    def start(self, argv):
        self._child = Spawn(argv)

    def stop(self):
        self._child.wait()


class Transactions:
    """`with conn:` commits; it does not close the connection."""

    def __init__(self, path):
        self._db = sqlite3.connect(path)

    def put(self, key, value):
        with self._db:
            self._db.execute("INSERT INTO kv VALUES (?, ?)", (key, value))

    def close(self):
        self._db.close()
