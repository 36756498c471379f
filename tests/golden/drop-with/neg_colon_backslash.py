# A backslash after the header's colon: the body's first line continues the
# header's.  Found by tests/fuzz.
def count(path):
    with open(path) as f:\
        return sum(1 for _ in f)
