def transform(src, dst, fn):
    with open(src) as fin:
        fout = open(dst, "w")
        for line in fin:
            fout.write(fn(line))
        fout.close()
        fin.seek(0)
