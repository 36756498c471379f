import pickle


def header_comment(path):
    # binary
    return pickle.load(open(path, "rb"))


def comment_before(path):
    with open(path) as f:
        # the whole file

        data = f.read()  # trailing
        # after the statement
    return data


def comment_in_header(path):
    with (  # why
        open(path) as f
    ):
        return f.read()
