def fetch(path):
    return open(path)


def fetch_lines(path):
    with open(path) as src:
        lines = src.readlines()
        return lines
