"""Helpers that read files.

    with open(path) as f:  (an example, not code)
"""
from __future__ import annotations


def read_all(path: str) -> str:
    with open(path) as f:
        return f.read()
