import json

from .io import read_doc, read_text


def settings(path):
    return json.loads(read_text(path))


def merged(a, b):
    out = dict(read_doc(a))
    out.update(read_doc(b))
    return out
