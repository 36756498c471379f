import json


def read_text(path):
    return open(path, encoding="utf-8")


def read_doc(path):
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)
