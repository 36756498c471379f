"""Readers whose result is not a call: put where a call was, it needs parentheses."""


def pair(path):
    return open(path)


def doubled(path):
    with open(path, "rb") as f:
        return f.read() + b"!"


def check(path):
    with pair(path) as fh:
        same = (fh.read(),) == ("",)
    return same


def twice(path):
    return doubled(path) * 2
