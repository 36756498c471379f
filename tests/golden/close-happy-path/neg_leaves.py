def load(path):
    with open(path) as f:
        return f.read()


def first_header(paths):
    for p in paths:
        with open(p) as f:
            if f.readline().startswith("#"):
                break


def skip_empty(paths, out):
    for p in paths:
        with open(p) as f:
            data = f.read()
            if not data:
                continue
            out.append(data)


def lines(path):
    with open(path) as f:
        for line in f:
            yield line.rstrip()


def search(paths, needle):
    for p in paths:
        with open(p) as f:
            for line in f:
                if needle in line:
                    break
            else:
                continue
        print(p)


def early(path):
    with open(path) as f:
        try:
            data = f.read()
        except UnicodeDecodeError:
            return None
    return data
