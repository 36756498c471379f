"""Module with a byte order mark."""


def read_all(path):
    with open(path) as f:
        data = f.read()
    return data
