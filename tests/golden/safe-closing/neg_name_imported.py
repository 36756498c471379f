from mylib import contextlib


def load(path):
    with open(path) as f:
        return f.read()
