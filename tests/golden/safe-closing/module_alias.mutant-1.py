import contextlib as ctx
import zipfile


def names(path):
    with ctx.closing(zipfile.ZipFile(path)) as zf:
        return zf.namelist()
