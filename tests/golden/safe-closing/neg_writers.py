import bz2
import gzip
import tarfile
import zipfile


def pack(src, dest):
    with gzip.open(dest, "wb") as out:
        out.write(src)


def pack_bz2(data, dest, mode):
    with bz2.open(dest, mode) as out:
        out.write(data)


def archive(paths, dest):
    with tarfile.open(dest, "w:gz") as tar:
        for p in paths:
            tar.add(p)


def zip_up(paths, dest):
    with zipfile.ZipFile(dest, "a") as zf:
        for p in paths:
            zf.write(p)
