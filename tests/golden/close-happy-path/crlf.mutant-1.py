def read_all(path):
    f = open(path)
    data = f.read()
    # keep CRLF
    f.close()
    return data


def one(path):
    with open(path) as f: first = f.readline()
    return first


def lead(path):
    with open(path) as f:
        # leading comment
        first = f.readline()
    return first
