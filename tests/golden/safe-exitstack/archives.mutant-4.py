import bz2
import gzip as gz
import lzma
import tarfile
import zipfile
import contextlib


def read_log(p):
    with gz.open(p, "rt") as f:
        text = f.read()
    return text


def write_log(p, text):
    with gz.open(p, "wt") as f:
        f.write(text)


def compress(p, data):
    with bz2.open(p, "wb") as f:
        f.write(data)


def decompress(p):
    with contextlib.ExitStack() as stack:
        f = stack.enter_context(lzma.open(p))
        data = f.read()
    return data


def unpack(p, dest):
    with tarfile.open(p) as tf:
        tf.extractall(dest)


def members(p):
    with zipfile.ZipFile(p) as zf:
        names = zf.namelist()
    return sorted(names)
