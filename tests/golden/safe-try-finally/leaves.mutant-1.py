def find(paths, needle):
    for p in paths:
        f = open(p)
        try:
            if needle in f.read():
                break
            continue
        finally:
            f.close()
    return p


def lines(path):
    with open(path) as f:
        for line in f:
            yield line.strip()


def noop(path):
    with open(path) as f:
        pass
