import socket


class CloseAndDel:
    def __init__(self, p):
        self._f = open(p)

    def close(self):
        self._f.close()

    def __del__(self):
        self._f.close()


class Reconnect:
    def connect(self, addr):
        self._sock = socket.create_connection(addr)

    def reconnect(self, addr):
        self._sock.close()
        self.connect(addr)

    def close(self):
        self._sock.close()


class LoopClose:
    def __init__(self, a, b):
        self._a = open(a)
        self._b = open(b)

    def close(self):
        self._a.close()
        for fh in (self._a, self._b):
            fh.close()


class AliasClose:
    def __init__(self, p):
        self._f = open(p)

    def close(self):
        self._f.close()

    def __del__(self):
        f, self._f = self._f, None
        if f is not None:
            f.close()


class ExitToo:
    def __init__(self, p):
        self._f = open(p)

    def close(self):
        self._f.close()

    def __exit__(self, *exc):
        self._f.__exit__(*exc)


class ClosedFromOutside:
    def __init__(self, p):
        self._log = open(p)

    def close(self):
        self._log.close()


def shutdown(obj):
    obj._log.close()


class Root:
    def __init__(self, p):
        self._r = open(p)

    def close(self):
        self._r.close()


class Child(Root):
    pass


class GrandChild(Child):
    def __del__(self):
        self._r.close()


class Parent:
    def close(self):
        self._q.close()


class Kid(Parent):
    def __init__(self, p):
        self._q = open(p)

    def shutdown(self):
        self._q.close()


class Patched:
    def __init__(self, p):
        self._m = open(p)

    def close(self):
        self._m.close()


def _extra_close(self):
    self._m.close()


Patched.__del__ = _extra_close
