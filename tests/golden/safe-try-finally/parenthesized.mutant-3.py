def a(path):
    with (open(path) as f):
        return f.read()


def b(path):
    with (open(path) as f,):
        return f.read()


def c(path):
    f = open(
        path,  # the input
        encoding="utf-8",
    )
    try:
        return f.read()
    finally:
        f.close()
