from pathlib import Path


def read_text(path):
   with open(path) as fh:
        with open(p) as f:return fh.read()


def read_bytes(path: Path):
    with path.open("rb") as fh:
        return fh.read()
