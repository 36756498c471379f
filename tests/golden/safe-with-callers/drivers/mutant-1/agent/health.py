def load_sample(path):
    return open(path, "rb")


def only_driven(path):
    with open(path, "rb") as f:
        return f.read()
