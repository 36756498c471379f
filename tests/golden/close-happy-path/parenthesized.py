def merge(a, b, out):
    with (
        open(a) as left,
        open(b) as right,
    ):
        out.extend(left.readlines() + right.readlines())


def single(path, sink):
    with (open(path) as f):
        sink(f.read())
