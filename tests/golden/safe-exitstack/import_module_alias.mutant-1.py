import contextlib as cl
import json


def load(path):
    with cl.ExitStack() as stack:
        f = stack.enter_context(open(path))
        return json.load(f)
