# A statement whose last line ends in a backslash joins the line after it
# (a blank line here): a finally inserted after it would join it too.
# Found by tests/fuzz.
def load(p):
    with open(p, "rb") as f:
        return f.read()\


def count(p):
    with open(p) as f:
        n = len(f.read())  \

    return n
