def fetch(path):
    with open(path) as src:
        data = src.read()
    return data


def fetch_lines(path):
    return open(path)
