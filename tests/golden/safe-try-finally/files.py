import io
import os
from pathlib import Path


def load(path):
    with open(path) as f:
        data = f.read()
    return data


def first_line(path):
    with io.open(path, encoding="utf-8") as f:
        return f.readline()


def from_fd(fd):
    with os.fdopen(fd, "rb") as f:
        return f.read()


def save(path, text):
    with open(path, "w") as out:
        out.write(text)
        out.flush()


def k_path(base: Path):
    with (base / "data.txt").open() as f:
        return f.read()


def k_path_annotated(cache_file: Path):
    with cache_file.open("rb") as f:
        blob = f.read()
    return blob


def k_path_named(file_path):
    with Path(file_path).open("w") as f:
        f.write("x")
