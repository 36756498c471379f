import socket


def load(path):
    with open(path) as f:
        data = f.read()
    return data


def ping(addr):
    s = socket.create_connection(addr)
    try:
        s.sendall(b"ping")
    finally:
        s.close()
