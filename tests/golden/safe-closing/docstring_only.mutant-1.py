"""Helpers that read files."""  # the module
import contextlib


def read_all(path):
    with contextlib.closing(open(path)) as f:
        return f.read()
