def merge(a, b, out):
    with (
        open(a) as left,
    ):
        right = open(b)
        out.extend(left.readlines() + right.readlines())


def single(path):
    with (open(path) as f):
        return f.read()
