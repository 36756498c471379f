def transform(src, dst, fn):
    fin = open(src)
    try:
        with open(dst, "w") as fout:
            for line in fin:
                fout.write(fn(line))
        return True
    finally:
        fin.close()
