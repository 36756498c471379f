def head(path):
    f = open(path)
    try:
        return f.readline()
    finally:
        f.close()


def both(path, sink):
    with open(path, "rb") as f: sink(f.read()); sink(b"")  # two calls


def later(path):
    with open(path) as f: data = f.read()
    return data
