import socket


class Justified:
    def __init__(self, p):
        self._f = open(p)  # noqa: SIM115  # owned by the instance, closed in close()

    def close(self):
        self._f.close()


class Compact:
    def __init__(self, p):
        self._f = open(p)  #noqa:SIM115 owned, closed in close()

    def close(self):
        self._f.close()


class AlreadyBare:
    def __init__(self):
        self._s = socket.socket()  # noqa: SIM115

    def close(self):
        self._s.close()


class Semicolon:
    def __init__(self, p):
        self._f = open(p);

    def close(self):
        self._f.close()


class SameLine:
    def __init__(self, p):
        self.p = p; self._f = open(p)  # noqa: SIM115  # released in close()

    def close(self):
        self._f.close()
