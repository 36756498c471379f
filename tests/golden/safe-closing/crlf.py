import socket


def read_all(path):
    with open(path) as f:
        data = f.read()
        data = data.strip()
    return data
