import json


def head(path):
    with open(path) as f: return f.readline()


def dump(data, path):
    with open(path, "w") as f: json.dump(data, f)  # compact


def two(path, sink):
    with open(path, "rb") as f: sink(f.read()); sink(b"")
