import io
import os
from pathlib import Path


def read_text(p):
    with io.open(p, encoding="utf-8") as f:
        text = f.read()
    return text


def drain(fd):
    with os.fdopen(fd, "rb") as pipe:
        payload = pipe.read()
    return payload


def read_data(base: Path):
    with (base / "data.txt").open() as f:
        lines = f.readlines()
    return lines


def write_cache(cache_file: Path, blob):
    with cache_file.open("wb") as f:
        f.write(blob)


def count_lines(file_path):
    f = file_path.open()
    total = sum(1 for _ in f)
    f.close()
    return total
