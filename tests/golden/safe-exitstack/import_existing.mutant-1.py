import contextlib
import os


def read_env(path):
    with contextlib.ExitStack() as stack:
        f = stack.enter_context(open(path))
        return dict(line.split("=", 1) for line in f)


def quiet(path):
    with contextlib.suppress(OSError):
        os.remove(path)
