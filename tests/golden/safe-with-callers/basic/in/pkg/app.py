from pkg.loader import load


def same(a, b):
    return load(a) == load(b)
