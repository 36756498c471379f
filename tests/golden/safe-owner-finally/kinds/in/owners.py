"""Owning classes over the other kinds strip-exit supports, each used once.

Feed is no site: urlopen does not warn when left open (src/kinds.def).
"""
import tarfile
import tempfile
from pathlib import Path
from urllib.request import urlopen


class Journal:
    def __init__(self, root: Path):
        self.path = root / "journal.log"
        self.fh = self.path.open("a", encoding="utf-8")

    def close(self):
        self.fh.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class Bundle:
    def __init__(self, name):
        self.tar = tarfile.open(name, "r")

    def close(self):
        self.tar.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.tar.close()


class Scratch:
    def __init__(self):
        self.buf = tempfile.TemporaryFile()

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        self.buf.close()


class Feed:
    def __init__(self, url):
        self.resp = urlopen(url)

    def close(self):
        self.resp.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def note(root, line):
    with Journal(root) as j:
        j.fh.write(line)


def names(name):
    with Bundle(name) as b:
        return b.tar.getnames()


def spill(data):
    with Scratch() as s:
        s.buf.write(data)
        s.buf.seek(0)
        return s.buf.read()


def fetch(url):
    with Feed(url) as f:
        return f.resp.read()
