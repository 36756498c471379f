import threading

lock = threading.Lock()


def copy(src_path, dst_path):
    src = open(src_path, "rb")
    with open(dst_path, "wb") as dst:
        dst.write(src.read())


def guarded_read(path):
    with lock, open(path) as f:
        return f.read()
