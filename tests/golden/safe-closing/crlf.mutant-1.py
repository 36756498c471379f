import socket
import contextlib


def read_all(path):
    with contextlib.closing(open(path)) as f:
        data = f.read()
        data = data.strip()
    return data
