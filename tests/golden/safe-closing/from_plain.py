import os
from contextlib import closing, suppress


def size(path):
    with suppress(OSError):
        return os.path.getsize(path)


def first_line(path):
    with open(path) as fh:
        return fh.readline()
