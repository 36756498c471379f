import json


def load(path, contextlib=None):
    with open(path) as f:
        return json.load(f)
