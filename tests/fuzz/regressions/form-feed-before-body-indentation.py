import socket


def k_connect(addr):
    with socket.create_connection(addr) as conn:
        conn.send(b"x")

        return conn.recv(16)


def k_read(p):
    with open(p) as f:
        data = f.read()
        return data
