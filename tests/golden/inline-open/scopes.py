import json

with open(__file__) as f:
    SOURCE = f.read()


def later(path):
    with open(path) as f:
        return json.load(f)


def names(paths):
    with open(paths[0]) as f:
        first = f.readline()
    return first, ", ".join("%r" % f for f in paths)


def helper_after(path):
    with open(path) as f:
        data = f.read()

    def show(f):
        return f.name

    return data, show


class Config:
    with open("defaults.json") as fh:
        DEFAULTS = json.load(fh)
