import os
import contextlib


def load(path):
    import contextlib

    with contextlib.ExitStack() as stack:
        f = stack.enter_context(open(path))
        return f.read()


with open(os.devnull) as null:
    NULL = null.read()

from contextlib import ExitStack
