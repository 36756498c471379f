def head(path):
    with open(path) as f: return f.readline()


def both(path, sink):
    with open(path, "rb") as f: sink(f.read()); sink(b"")  # two calls


def later(path):
    with open(path) as f: data = f.read()
    return data
