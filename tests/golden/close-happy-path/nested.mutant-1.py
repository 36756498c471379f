def transform(src, dst, fn):
    fin = open(src)
    with open(dst, "w") as fout:
        for line in fin:
            fout.write(fn(line))
    fin.seek(0)
    fin.close()
