import contextlib
def early(p):
    with open(p) as f:
        data = f.read()
    import contextlib
    return data, contextlib


def other(p):
    with contextlib.closing(open(p)) as f:
        return f.read()


def helper():
    import contextlib
    return contextlib.suppress
