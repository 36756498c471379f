"""Loading sample bytes."""


def load(path):
    """Return the raw bytes at path."""
    return open(path, "rb")


def describe(path):
    # Same-module caller.
    blob = load(path).read()
    return len(blob)
