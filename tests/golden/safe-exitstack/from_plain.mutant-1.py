from contextlib import ExitStack, closing
import json


def load(path):
    with ExitStack() as stack:
        f = stack.enter_context(open(path))
        return json.load(f)
