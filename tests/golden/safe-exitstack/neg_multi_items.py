import threading

lock = threading.Lock()


def copy(src_path, dst_path):
    with open(src_path, "rb") as src, open(dst_path, "wb") as dst:
        dst.write(src.read())


def guarded_read(path):
    with lock, open(path) as f:
        return f.read()


def grouped(a, b):
    with (
        open(a) as fa,
        open(b) as fb,
    ):
        return fa.read() + fb.read()
