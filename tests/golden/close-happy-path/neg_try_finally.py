def read_all(path):
    f = open(path)
    try:
        data = f.read()
    finally:
        f.close()
    return data


def belt_and_braces(path, sink):
    with open(path) as f:
        try:
            sink(f.read())
        finally:
            f.close()
