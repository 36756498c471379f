def merge(a, b, out):
    left = open(a)
    with (
        open(b) as right,
    ):
        out.extend(left.readlines() + right.readlines())


def single(path):
    with (open(path) as f):
        return f.read()
