import socket
from contextlib import closing


class Door:
    def __init__(self):
        self.closing = False

    def shut(self, closing=True):
        return closing


def probe(addr):
    with socket.create_connection(addr) as conn:
        return conn.getpeername()
