import contextlib
def head(path):
    with open(path) as f: return f.readline()


def both(path, sink):
    with open(path, "rb") as f: sink(f.read()); sink(b"")  # two calls


def later(path):
    with contextlib.ExitStack() as stack:
        f = stack.enter_context(open(path))
        data = f.read()
    return data
