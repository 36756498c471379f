import threading

lock = threading.Lock()
seen = set()


def head(path):
    with open(path) as f: first = f.readline()
    return first


def both(path, sink):
    with open(path, "rb") as f: sink(f.read()); sink(b"")


def pair(a, b):
    with open(a) as f, open(b) as g: g.read(); f.read()


def mark(key):
    lock.acquire()
    seen.add(key)
    lock.release()
