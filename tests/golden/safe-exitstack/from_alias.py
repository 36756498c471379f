import json
from contextlib import ExitStack as ES
from contextlib import suppress


def load(path):
    with open(path) as f:
        return json.load(f)


def load_quietly(path):
    with suppress(ValueError):
        with open(path, "rb") as f:
            return json.load(f)
