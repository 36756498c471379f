def a(path):
    with (open(path) as f):
        return f.read()


def b(path):
    f = open(path)
    try:
        return f.read()
    finally:
        f.close()


def c(path):
    with open(
        path,  # the input
        encoding="utf-8",
    ) as f:
        return f.read()
