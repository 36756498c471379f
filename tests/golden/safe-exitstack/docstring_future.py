"""Read configuration files.

    with open(path) as f:  (not code)
"""
from __future__ import annotations


def load(path: str) -> str:
    with open(path) as f:
        return f.read()
