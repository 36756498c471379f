def transform(src, dst, fn):
    with open(src) as fin:
        open(dst, "w").write(fn(fin.read()))


def copy(src, dst):
    with open(src, "rb") as fin:
        data = fin.read()
        with open(dst, "wb") as fout:
            fout.write(data)
