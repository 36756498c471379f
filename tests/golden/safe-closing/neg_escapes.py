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
