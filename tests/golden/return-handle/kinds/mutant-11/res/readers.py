import bz2
import gzip as gz
import io
import lzma
import os
import socket
import tarfile
import tempfile
import urllib.request
import zipfile
from pathlib import Path


def gz_text(path):
    with gz.open(path, "rt") as f:
        return f.read()


def bz2_bytes(path):
    with bz2.open(path, "rb") as f:
        return f.read()


def xz_bytes(path):
    with lzma.open(path) as f:
        return f.read()


def tar_names(path):
    with tarfile.open(path) as tar:
        return tar.getnames()


def zip_names(path):
    with zipfile.ZipFile(path) as zf:
        return zf.namelist()


def io_text(path):
    with io.open(path, encoding="utf-8") as f:
        return f.read()


def fd_text(fd):
    with os.fdopen(fd) as f:
        return f.read()


def path_bytes(name):
    with Path(name).open("rb") as f:
        return f.read()


def page(url):
    with urllib.request.urlopen(url) as resp:
        return resp.read()


def greeting(host, port):
    with socket.create_connection((host, port)) as conn:
        return conn.recv(64)


def scratch_size():
    return tempfile.TemporaryFile()
