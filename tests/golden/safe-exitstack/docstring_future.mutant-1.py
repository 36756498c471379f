"""Read configuration files.

    with open(path) as f:  (not code)
"""
from __future__ import annotations
import contextlib


def load(path: str) -> str:
    with contextlib.ExitStack() as stack:
        f = stack.enter_context(open(path))
        return f.read()
