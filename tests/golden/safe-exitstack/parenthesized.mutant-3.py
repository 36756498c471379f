import contextlib
def a(path):
    with (open(path) as f):
        return f.read()


def b(path):
    with (open(path) as f,):
        return f.read()


def c(path):
    with contextlib.ExitStack() as stack:
        f = stack.enter_context(open(
        path,  # the input
        encoding="utf-8",
    ))
        return f.read()
