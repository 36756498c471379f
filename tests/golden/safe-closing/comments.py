import contextlib


def load(path):
    # Open it.
    with open(path) as f:  # noqa: SIM115 (not really)
        # first comment
        return f.read()  # done


def load_default(path="x.txt"):
    with open(path) as f:
    # a comment at the with's indentation
        return f.read()
