def transform(src, dst, fn):
    with open(src) as fin:
        fout = open(dst, "w")
        try:
            for line in fin:
                fout.write(fn(line))
        finally:
            fout.close()
        return True
