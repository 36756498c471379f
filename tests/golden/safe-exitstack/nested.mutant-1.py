import contextlib
def transform(src, dst, fn):
    with contextlib.ExitStack() as stack:
        fin = stack.enter_context(open(src))
        with open(dst, "w") as fout:
            for line in fin:
                fout.write(fn(line))
        return True
