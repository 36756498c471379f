import bz2
import gzip as gz
import io
import lzma
import multiprocessing
import os
import pathlib
import socket
import subprocess
import tarfile
import tempfile
import urllib.request
import zipfile
from pathlib import Path


def k_io(p):
    return io.open(p).read()


def k_fdopen(fd):
    with os.fdopen(fd, "rb") as f:
        return f.read()


def k_path_constructed(name):
    with Path(name).open("wb") as f:
        f.write(b"x")


def k_path_joined(root: pathlib.Path):
    with (root / "data.bin").open("rb") as f:
        return f.read()


def k_path_annotated(p: Path):
    with p.open() as f:
        return f.readlines()


def k_path_named(file_path, data):
    with file_path.open("wb") as fh:
        fh.write(data)


def k_gzip(p):
    with gz.open(p, "rt") as f:
        return f.read()


def k_bz2(p):
    with bz2.open(p) as f:
        return f.read()


def k_lzma(p):
    with lzma.open(p) as f:
        return f.read()


def k_tar(p):
    with tarfile.open(p) as tf:
        return tf.getnames()


def k_zip(p):
    with zipfile.ZipFile(p) as zf:
        return zf.namelist()


def k_named_temp(text):
    with tempfile.NamedTemporaryFile("w", delete=False) as tmp:
        tmp.write(text)


def k_temp():
    with tempfile.TemporaryFile() as tmp:
        return tmp.fileno()


def k_connect(addr, payload):
    with socket.create_connection(addr) as conn:
        conn.sendall(payload)


def k_socket():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        return s.family


def k_urlopen(url):
    with urllib.request.urlopen(url, timeout=5) as resp:
        return resp.read()


def k_popen(cmd):
    with subprocess.Popen(cmd, stdout=subprocess.PIPE) as proc:
        return proc.stdout.read()


def k_pool(fn, items):
    with multiprocessing.Pool(2) as pool:
        return pool.map(fn, items)
