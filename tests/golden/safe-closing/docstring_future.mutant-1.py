"""Helpers that read files.

    with open(path) as f:  (an example, not code)
"""
from __future__ import annotations
import contextlib


def read_all(path: str) -> str:
    with contextlib.closing(open(path)) as f:
        return f.read()
