def fetch(path):
    with open(path) as src:
        data = src.read()
    return data


def fetch_lines(path):
    with open(path) as src:
        lines = src.readlines()
        return lines
