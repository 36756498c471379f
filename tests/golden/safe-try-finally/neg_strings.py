"""Examples:

    with open(path) as f:
        data = f.read()
"""

SNIPPET = "with open(p) as f: f.read()"


def doc():
    """with open(x) as g:
        g.read()
    """
    return SNIPPET  # with open(p) as f:
