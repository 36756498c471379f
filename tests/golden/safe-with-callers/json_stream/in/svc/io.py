import json


def read_text(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def read_doc(path):
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)
