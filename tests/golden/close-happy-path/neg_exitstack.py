import contextlib


def open_all(paths):
    with contextlib.ExitStack() as stack:
        files = [stack.enter_context(open(p)) for p in paths]
        sizes = [len(f.read()) for f in files]
    return sizes


def handed_over(path, stack: contextlib.ExitStack):
    with open(path) as f:
        stack.enter_context(f)


def wrapped(path, sink):
    with open(path) as f:
        with contextlib.closing(f):
            sink(f.read())
