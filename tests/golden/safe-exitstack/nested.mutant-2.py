import contextlib
def transform(src, dst, fn):
    with open(src) as fin:
        with contextlib.ExitStack() as stack:
            fout = stack.enter_context(open(dst, "w"))
            for line in fin:
                fout.write(fn(line))
        return True
