def merge(a, b, out):
    left = open(a)
    with (
        open(b) as right,
    ):
        out.extend(left.readlines() + right.readlines())
    left.close()


def single(path, sink):
    with (open(path) as f):
        sink(f.read())
