def merge(a, b, out):
    with (
        open(a) as left,
        open(b) as right,
    ):
        out.extend(left.readlines() + right.readlines())


def single(path, sink):
    f = open(path)
    sink(f.read())
    f.close()
