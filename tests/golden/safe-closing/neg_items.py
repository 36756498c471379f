import contextlib
import threading

lock = threading.Lock()


def copy(src_path, dst_path):
    with open(src_path, "rb") as src, open(dst_path, "wb") as dst:
        dst.write(src.read())


def guarded_read(path):
    with lock, open(path) as f:
        return f.read()


def merge(a, b, out):
    with (
        open(a) as left,
        open(b) as right,
    ):
        out.extend(left.readlines() + right.readlines())
