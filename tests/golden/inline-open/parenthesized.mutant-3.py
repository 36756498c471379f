import pickle


def single(path):
    with (open(path) as f):
        return f.read()


def split(path, obj):
    with (
        open(path, "wb") as f
    ):
        pickle.dump(obj, f)


def trailing_comma(path):
    data = open(path, "rb").read()
    return data
