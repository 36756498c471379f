import pickle


def single(path):
    return open(path).read()


def split(path, obj):
    with (
        open(path, "wb") as f
    ):
        pickle.dump(obj, f)


def trailing_comma(path):
    with (
        open(path, "rb") as f,
    ):
        data = f.read()
    return data
