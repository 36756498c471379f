def read_all(path):
    with open(path) as f:
        data = f.read()
        # keep CRLF
    return data


def one(path):
    with open(path) as f: first = f.readline()
    return first


def lead(path):
    with open(path) as f:
        # leading comment
        first = f.readline()
    return first
