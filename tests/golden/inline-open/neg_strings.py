"""Examples:

    with open(path, "wb") as f:
        pickle.dump(obj, f)
"""

SNIPPET = "with open(p) as f: data = f.read()"


def doc():
    """with open(x) as g:
        return g.read()
    """
    return SNIPPET  # with open(p) as f: return f.read()
