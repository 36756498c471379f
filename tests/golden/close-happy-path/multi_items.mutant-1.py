import threading

lock = threading.Lock()


def copy(src_path, dst_path):
    src = open(src_path, "rb")
    with open(dst_path, "wb") as dst:
        dst.write(src.read())
    src.close()


def guarded_dump(path, items):
    with lock, open(path, "w") as f:
        for item in items:
            f.write(item)
