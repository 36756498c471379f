def load_sample(path):
    with open(path, "rb") as f:
        return f.read()


def only_driven(path):
    with open(path, "rb") as f:
        return f.read()
