def head(path):
    with open(path) as f: return f.readline()


def both(path, sink):
    f = open(path, "rb")
    try:
        sink(f.read()); sink(b"")  # two calls
    finally:
        f.close()


def later(path):
    with open(path) as f: data = f.read()
    return data
