import contextlib


def transform(src, dst, fn):
    with open(src) as fin:
        with contextlib.closing(open(dst, "w")) as fout:
            for line in fin:
                fout.write(fn(line))
        return True
