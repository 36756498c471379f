def transform(src, dst, fn):
    with open(src) as fin:
        with open(dst, "w") as fout:
            for line in fin:
                fout.write(fn(line))
        return True
