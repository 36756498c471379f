import sqlite3


def as_callback(path):
    with open(path) as f:
        return f.read()


def all_of(paths):
    return list(map(as_callback, paths))


def recursive(path, depth=0):
    with open(path) as f:
        return f.read() if depth else recursive(path, 1)


def sized(path, size):
    with open(path, "rb") as f:
        return f.read(size)


def rows(path):
    with sqlite3.connect(path) as conn:
        return conn.execute("select 1").fetchall()


async def later(path):
    with open(path) as f:
        return f.read()


def two_items(a, b):
    with open(a) as f, open(b) as g:
        return f.read() + g.read()


def not_last(path):
    with open(path) as f:
        text = f.read()
    print(text)
    return text


def handle_itself(path):
    with open(path) as f:
        return f


def docstring_only(path):
    """with open(path) as f: return f.read()"""
    return path


def attribute_named_like_handle(path):
    with open(path) as f:
        return sqlite3.f


def keyword_named_like_handle(path):
    with open(path) as f:
        return dict(f=1)


def generator(path):
    yield path
    with open(path) as f:
        return f.read()


def bracket_break(path):
    with (
        open
        (path) as f
    ):
        return f.read()


def reads_bracket_break(path):
    return bracket_break(path).strip()
