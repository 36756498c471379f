from contextlib import closing as cl
from pathlib import Path


def read_text(path):
    with cl(open(path, encoding="utf-8")) as fh:
        return fh.read()


def read_bytes(path: Path):
    with path.open("rb") as fh:
        return fh.read()
