import contextlib


def exit_stack(path):
    with contextlib.ExitStack() as stack:
        f = stack.enter_context(open(path))
        return f.read()


def try_finally(path):
    f = open(path)
    try:
        data = f.read()
    finally:
        f.close()
    return data


def closing(url):
    import urllib.request

    with contextlib.closing(urllib.request.urlopen(url)) as resp:
        return resp.read()


def already_leaks(path):
    return open(path).read()
