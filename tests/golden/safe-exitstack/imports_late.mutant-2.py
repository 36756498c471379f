import os
import contextlib


def load(path):
    import contextlib

    with open(path) as f:
        return f.read()


with contextlib.ExitStack() as stack:
    null = stack.enter_context(open(os.devnull))
    NULL = null.read()

from contextlib import ExitStack
