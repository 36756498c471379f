import pickle


def header_comment(path):
    with open(path, "rb") as f:  # binary
        return pickle.load(f)


def comment_before(path):
    # the whole file

    data = open(path).read()  # trailing
    # after the statement
    return data


def comment_in_header(path):
    with (  # why
        open(path) as f
    ):
        return f.read()
