import threading

lock = threading.Lock()
seen = set()


def head(path):
    with open(path) as f: first = f.readline()
    return first


def both(path, sink):
    f = open(path, "rb")
    sink(f.read()); sink(b"")
    f.close()


def pair(a, b):
    with open(a) as f, open(b) as g: g.read(); f.read()


def mark(key):
    with lock: seen.add(key)
