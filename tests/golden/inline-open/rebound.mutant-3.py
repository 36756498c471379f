def both(a, b):
    with open(a) as f:
        first = f.read()
    with open(b) as f:
        second = f.read()
    return first + second


def reassigned(a):
    data = open(a).read()
    f = None
    return data, f


def in_loop(paths):
    out = []
    for p in paths:
        with open(p) as f:
            out.append(f.read())
    return out


def loop_target(names):
    for f in names:
        with open(f) as f:
            print(f.read())


def self_named(f):
    with open(f) as f:
        return f.read()


def fallback(path, parse):
    try:
        with open(path, encoding="utf-8") as fp:
            parse(fp)
    except UnicodeDecodeError:
        with open(path, encoding="latin-1") as fp:
            parse(fp)


def branches(path, fd):
    if path is not None:
        with open(path, "rb") as fp:
            output = fp.read()
    elif fd is not None:
        with open(fd, "rb", closefd=False) as fp:
            output = fp.read()
    else:
        output = b""
    return output
