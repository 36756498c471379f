def first_match(path, needle):
    found = None
    with open(path) as f:
        for line in f:
            if needle in line:
                found = line
                break
    return found


def non_empty(path):
    kept = []
    with open(path) as f:
        while True:
            line = f.readline()
            if not line:
                break
            if not line.strip():
                continue
            kept.append(line)
    return kept


def count(paths):
    total = 0
    for p in paths:
        with open(p) as f:
            total += len(f.read())
    return total
