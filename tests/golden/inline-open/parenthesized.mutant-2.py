import pickle


def single(path):
    with (open(path) as f):
        return f.read()


def split(path, obj):
    pickle.dump(obj, open(path, "wb"))


def trailing_comma(path):
    with (
        open(path, "rb") as f,
    ):
        data = f.read()
    return data
