import socket
import contextlib


def load(path):
    with contextlib.ExitStack() as stack:
        f = stack.enter_context(open(path))
        data = f.read()
    return data


def ping(addr):
    with socket.create_connection(addr) as s: s.sendall(b"ping")
