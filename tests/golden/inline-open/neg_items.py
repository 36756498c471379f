import threading

lock = threading.Lock()


def copy(src_path, dst_path):
    with open(src_path, "rb") as src, open(dst_path, "wb") as dst:
        dst.write(src.read())


def guarded(path):
    with lock, open(path) as f:
        return f.read()


def parenthesized(a, b):
    with (
        open(a) as left,
        open(b) as right,
    ):
        return left.read() + right.read()


def new_lock():
    with threading.Lock() as held:
        return held.locked()


def attribute_target(self, path):
    with open(path) as self.f:
        return self.f.read()
