def merge(a, b, out):
    with (
        open(a) as left,
    ):
        right = open(b)
        out.extend(left.readlines() + right.readlines())
    right.close()


def single(path, sink):
    with (open(path) as f):
        sink(f.read())
