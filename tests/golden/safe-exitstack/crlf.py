import socket


def load(path):
    with open(path) as f:
        data = f.read()
    return data


def ping(addr):
    with socket.create_connection(addr) as s: s.sendall(b"ping")
