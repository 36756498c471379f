"""Loading sample bytes."""


def load(path):
    """Return the raw bytes at path."""
    with open(path, "rb") as f:
        return f.read()


def describe(path):
    # Same-module caller.
    blob = load(path)
    return len(blob)
