def head(path):
    with open(path) as f: return f.readline()


def both(path, sink):
    f = open(path, "rb")
    sink(f.read()); sink(b"")
