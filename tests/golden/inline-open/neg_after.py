def used_after(path):
    with open(path) as f:
        data = f.read()
    print(f.closed)
    return data


def closed_in_finally(path):
    try:
        with open(path) as f:
            data = f.read()
    finally:
        f.close()
    return data


def loop_preamble(paths):
    f = None
    out = []
    for p in paths:
        if f is not None:
            out.append(f.name)
        with open(p) as f:
            out.append(f.read())
    return out


def rebound_reading(path):
    with open(path) as f:
        data = f.read()
    f = f.name
    return data, f


def conditional_rebind(path, cond):
    with open(path) as f:
        data = f.read()
    if cond:
        f = None
    return data, f


def closure(path):
    with open(path) as f:
        data = f.read()

    def name():
        return f.name

    return data, name


def declared_global(path):
    global handle
    with open(path) as handle:
        return handle.read()


with open(__file__) as module_handle:
    SOURCE = module_handle.read()


def reads_module_handle():
    return module_handle.closed


def while_condition(path):
    f = None
    while f is None or not f.closed:
        with open(path) as f:
            data = f.read()
    return data


def rebound_conditionally_then_read(path, cond):
    with open(path) as f:
        data = f.read()
    if cond:
        with open(path) as f:
            data += f.read()
    return data, f.name


def read_in_comprehension_iterable(path, items):
    with open(path) as f:
        data = f.read()
    return [f for f in f.readlines() if f in items], data
