import socket
from contextlib import closing
import contextlib


class Door:
    def __init__(self):
        self.closing = False

    def shut(self, closing=True):
        return closing


def probe(addr):
    with contextlib.closing(socket.create_connection(addr)) as conn:
        return conn.getpeername()
