import contextlib
def find(paths, needle):
    for p in paths:
        with open(p) as f:
            if needle in f.read():
                break
            continue
    return p


def lines(path):
    with contextlib.ExitStack() as stack:
        f = stack.enter_context(open(path))
        for line in f:
            yield line.strip()


def noop(path):
    with open(path) as f:
        pass
