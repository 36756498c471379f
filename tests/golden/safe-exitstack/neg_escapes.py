import contextlib


def closes_anyway(path):
    with open(path) as f:
        data = f.read()
        f.close()
    return data


def returned(path):
    with open(path) as f:
        return f


def stacked(path, stack: contextlib.ExitStack):
    with open(path) as f:
        stack.enter_context(f)


def stored(self, path):
    with open(path) as f:
        self.handle = f


def aliased(path):
    with open(path) as f:
        g = f
    return g


def collected(path, out):
    with open(path) as f:
        out.append([f])


def closing_wrapped(path):
    with open(path) as f:
        with contextlib.closing(f):
            return f.read()


def captured(path):
    with open(path) as f:
        return lambda: f.read()


def yielded(path):
    with open(path) as f:
        yield f


def delegated(path):
    with open(path) as f:
        yield from f
