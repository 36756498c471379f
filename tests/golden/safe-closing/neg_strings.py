"""Examples:

    with open(path) as f:
        data = f.read()
"""

SNIPPET = "with open(p) as f: f.read()"


def doc():
    """with open(x) as g:
        pass
    """
    return SNIPPET  # with open(p) as f:
