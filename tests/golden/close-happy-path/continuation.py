def summary(path, extra):
    with open(path) as f:
        total = sum(len(line)
                    for line in f) + \
            len(extra)
        items = [
    "odd", "indent",
        ]
    return total, items
