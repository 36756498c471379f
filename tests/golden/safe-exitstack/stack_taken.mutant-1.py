import contextlib


def push_all(path, stack):
    with contextlib.ExitStack() as stack_2:
        f = stack_2.enter_context(open(path))
        stack.extend(f.read().split())


def both(path, stack_2, items):
    stack = list(items)
    with open(path) as f:
        stack_2.append(f.read())
    return stack


def attribute_only(self, path):
    with open(path) as f:
        self.stack.append(f.read())


def outer(path):
    stack = []

    def inner():
        with open(path) as f:
            stack.append(f.read())

    inner()
    return stack


def named_stack(path):
    with open(path) as stack:
        return stack.read()
