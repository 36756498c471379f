import threading

lock = threading.Lock()


def copy(src_path, dst_path):
    with open(src_path, "rb") as src, open(dst_path, "wb") as dst:
        dst.write(src.read())


def guarded_read(path):
    with lock:
        f = open(path)
        return f.read()
