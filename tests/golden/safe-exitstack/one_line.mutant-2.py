import contextlib
def head(path):
    with open(path) as f: return f.readline()


def both(path, sink):
    with contextlib.ExitStack() as stack:
        f = stack.enter_context(open(path, "rb"))
        sink(f.read()); sink(b"")  # two calls


def later(path):
    with open(path) as f: data = f.read()
    return data
