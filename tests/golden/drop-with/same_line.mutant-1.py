def head(path):
    f = open(path)
    return f.readline()


def both(path, sink):
    with open(path, "rb") as f: sink(f.read()); sink(b"")
