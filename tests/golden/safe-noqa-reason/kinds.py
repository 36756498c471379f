"""One owning class per resource kind, each closed by one method."""

import gzip
import io
import socket
import sqlite3
import subprocess
import tarfile
import tempfile
import urllib.request
import zipfile
from pathlib import Path


class TextLog:
    def __init__(self, path):
        self._f = open(path, "a", encoding="utf-8")

    def close(self):
        self._f.close()
        self._f = None


class PathLog:
    def __init__(self, log_path: Path):
        self._stream = log_path.open("a")

    def close(self):
        self._stream.flush()
        self._stream.close()


class Compressed:
    def __init__(self, path):
        self._gz = gzip.open(path, "wt")

    def finish(self):
        self._gz.write("\n")
        self._gz.close()


class Listener:
    def __init__(self, port):
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.bind(("127.0.0.1", port))

    def shutdown(self):
        self._sock.close()
        self._sock = None


class Client:
    def connect(self, host, port):
        self._conn = socket.create_connection((host, port), timeout=5)

    def disconnect(self):
        self._conn.close()


class Worker:
    def start(self, argv):
        self._proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL)

    def stop(self):
        self._proc.terminate()
        self._proc.wait()
        self._proc = None


class Scratch:
    def __init__(self):
        self._tmp = tempfile.NamedTemporaryFile("w+", suffix=".txt")

    def cleanup(self):
        self._tmp.close()


class Bundle:
    def __init__(self, path):
        self._zip = zipfile.ZipFile(path, "w")

    def write(self, name, data):
        self._zip.writestr(name, data)

    def close(self):
        self._zip.close()


class Store:
    def __init__(self, db):
        self._db = sqlite3.connect(db)

    def query(self, sql):
        return self._db.execute(sql).fetchall()

    def close(self):
        self._db.commit()
        self._db.close()


class Archive:
    def __init__(self, path):
        self._tar = tarfile.open(path, "w:gz")

    def close(self):
        self._tar.close()


class Buffered:
    def __init__(self, path):
        self._raw = io.open(path, "rb")

    def close(self):
        self._raw.close()


class Page:
    def __init__(self, url):
        self._resp = urllib.request.urlopen(url, timeout=10)

    def read(self):
        return self._resp.read()

    def close(self):
        self._resp.close()


class Unrelated:
    """Another class's `self._f` is another object."""

    def __init__(self, p):
        self._f = open(p)

    def close(self):
        self._f.close()

    def __del__(self):
        self._f.close()


class DerivedPage(Page):
    def peek(self):
        return self._resp.peek()
