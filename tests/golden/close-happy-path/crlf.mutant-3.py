def read_all(path):
    with open(path) as f:
        data = f.read()
        # keep CRLF
    return data


def one(path):
    with open(path) as f: first = f.readline()
    return first


def lead(path):
    f = open(path)
    # leading comment
    first = f.readline()
    f.close()
    return first
