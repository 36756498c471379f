import contextlib
import sqlite3


class Based(object):
    def __init__(self, p):
        self.f = open(p)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.f.close()


class Sub(Based):
    pass


class Opens:
    def __enter__(self):
        self.f = open("x")
        return self

    def __exit__(self, *exc):
        self.f.close()


class Commits:
    def __init__(self, p):
        self.conn = sqlite3.connect(p)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.conn.commit()
        self.conn.close()


class Swallows:
    def __init__(self, p):
        self.f = open(p)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.f.close()
        return True


class Stacked:
    def __init__(self, p):
        self.f = open(p)

    def close(self):
        self.f.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def stacked(p):
    s = Stacked(p)
    with contextlib.ExitStack() as stack:
        stack.enter_context(s)


class Factory:
    def __init__(self, p):
        self.f = open(p)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.f.close()


FACTORIES = [Factory]


class Paired:
    def __init__(self, p):
        self.f = open(p)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.f.close()


def paired(p, q):
    with Paired(p) as a, Paired(q) as b:
        a.f.write(b.f.read())


class Forgets:
    def __init__(self, p):
        self.f = open(p)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def forgets(p):
    with Forgets(p) as a:
        a.f.read()
