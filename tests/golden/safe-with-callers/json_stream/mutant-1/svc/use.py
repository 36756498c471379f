import json

from .io import read_doc, read_text


def settings(path):
    with read_text(path) as fh:
        return json.loads(fh.read())


def merged(a, b):
    out = dict(read_doc(a))
    out.update(read_doc(b))
    return out
