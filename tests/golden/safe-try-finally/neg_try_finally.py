import contextlib


def read_all(path):
    f = open(path)
    try:
        data = f.read()
    finally:
        f.close()
    return data


def open_all(paths):
    with contextlib.ExitStack() as stack:
        files = [stack.enter_context(open(p)) for p in paths]
        return [len(f.read()) for f in files]
