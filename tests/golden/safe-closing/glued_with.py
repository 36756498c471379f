# `with(` with no space: the new callee must not glue to `with` (found by
# tests/fuzz).
from pathlib import Path


def k_path(base: Path):
    with( base / "data.txt").open() as f:
        return f.read()
