import contextlib


def single(path):
    with (open(path) as f):
        return f.read()


def one_tuple(path):
    with (open(path) as f,):
        return f.read()


def multiline_call(path, enc):
    with contextlib.closing(open(
        path,
        encoding=enc,  # caller's choice
    )) as f:
        return f.read()
