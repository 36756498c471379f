def in_lambda(path, run):
    with open(path) as f:
        return run(lambda: f.read())


def in_genexp(path):
    with open(path) as f:
        return sum(len(line) for line in f)


def in_condition(path, items):
    with open(path) as f:
        return [x for x in items if f.readable()]


def in_fstring(path):
    with open(path) as f:
        print(f"{f.read()}")


def comp_variable(path, items):
    with open(path) as f:
        return [f for f in items]
