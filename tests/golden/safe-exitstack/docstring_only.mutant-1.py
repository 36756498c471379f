"""Helpers."""
import contextlib


def load(path):
    with contextlib.ExitStack() as stack:
        f = stack.enter_context(open(path))
        return f.read()
