import json


def head(path):
    with open(path) as f: return f.readline()


def dump(data, path):
    json.dump(data, open(path, "w"))  # compact


def two(path, sink):
    with open(path, "rb") as f: sink(f.read()); sink(b"")
