"""Readers whose result is not a call: put where a call was, it needs parentheses."""


def pair(path):
    with open(path) as f:
        return f.read(),


def doubled(path):
    return open(path, "rb")


def check(path):
    same = pair(path) == ("",)
    return same


def twice(path):
    with doubled(path) as fh:
        return (fh.read() + b"!") * 2
