# `with(` with no space: the new callee must not glue to `with` (found by
# tests/fuzz).
from pathlib import Path
import contextlib


def k_path(base: Path):
    with contextlib.closing(( base / "data.txt").open()) as f:
        return f.read()
