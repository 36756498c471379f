import contextlib as ctx
import zipfile


def names(path):
    with zipfile.ZipFile(path) as zf:
        return zf.namelist()
