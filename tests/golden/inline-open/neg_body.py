import json


def two_statements(path):
    with open(path) as f:
        data = f.read()
        print(len(data))
    return data


def compound(path):
    with open(path) as f:
        for line in f:
            print(line)


def used_twice(path):
    with open(path) as f:
        return f.read(f.seek(0))


def unused(path):
    with open(path):
        pass
    with open(path) as f:
        pass


def raise_in_body(path):
    with open(path) as f:
        raise ValueError(f.name)


def not_a_resource(lock_factory):
    with lock_factory() as f:
        return f.read()


def rebound_in_body(path):
    with open(path) as f:
        f = json.load(f)


def handle_unused(path, log):
    with open(path) as f:
        log.append(path)
