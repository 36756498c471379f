def find(paths, needle):
    for p in paths:
        with open(p) as f:
            if needle in f.read():
                break
            continue
    return p


def lines(path):
    with open(path) as f:
        for line in f:
            yield line.strip()


def noop(path):
    with open(path) as f:
        pass
