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
from socket import socket as Sock
import contextlib


def k_gzip(p):
    with gz.open(p, "rt") as f:
        return f.read()


def k_bz2(p):
    with bz2.open(p) as f:
        return f.read()


def k_lzma(p):
    with lzma.open(p) as f:
        return f.read()


def k_io(p):
    with io.open(p) as f:
        return f.read()


def k_fdopen(fd):
    with os.fdopen(fd) as f:
        return f.read()


def k_tar(p):
    with tarfile.open(p) as tf:
        return tf.getnames()


def k_zip(p):
    with zipfile.ZipFile(p) as zf:
        return zf.namelist()


def k_temp():
    with tempfile.TemporaryFile() as tmp:
        tmp.write(b"x")
        tmp.seek(0)
        return tmp.read()


def k_named_temp():
    with tempfile.NamedTemporaryFile("w") as tmp:
        tmp.write("x")
        return tmp.name


def k_spooled():
    with tempfile.SpooledTemporaryFile(max_size=16) as tmp:
        tmp.write(b"x")
        return tmp.tell()


def k_socket():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        return s.family


def k_alias_socket():
    with Sock() as s:
        return s.type


def k_connect(addr):
    with socket.create_connection(addr) as conn:
        return conn.recv(16)


def k_urlopen(url):
    with contextlib.closing(urllib.request.urlopen(url)) as resp:
        return resp.read()


def k_path(base: Path):
    with (base / "data.txt").open() as f:
        return f.read()
