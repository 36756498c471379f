import socket


def load(path):
    f = open(path)
    try:
        data = f.read()
    finally:
        f.close()
    return data


def ping(addr):
    with socket.create_connection(addr) as s: s.sendall(b"ping")
