import selectors
import socket
from typing import IO


class Annotated:
    def __init__(self, path: str) -> None:
        self._f: IO[str] = open(path)  # noqa: SIM115  # released in close()

    def close(self) -> None:
        self._f.close()


class Selected:
    """A selector's register() watches the socket; it does not close it."""

    def __init__(self, sel: selectors.BaseSelector) -> None:
        self._sel = sel
        self._sock = socket.socket()
        sel.register(self._sock, selectors.EVENT_READ)

    def close(self) -> None:
        self._sel.unregister(self._sock)
        self._sock.close()
