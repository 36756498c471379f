from svc.io import read_doc


def first_key(path):
    return next(iter(read_doc(path)))
