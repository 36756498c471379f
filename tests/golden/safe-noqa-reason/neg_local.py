def read(p):
    f = open(p)
    data = f.read()
    f.close()
    return data


class Local:
    def run(self, p):
        f = open(p)
        self._data = f.read()
        f.close()


class Indirect:
    def __init__(self, p):
        f = open(p)
        self._f = f

    def close(self):
        self._f.close()


class OtherObject:
    def __init__(self, other, p):
        other._f = open(p)

    def close(self, other):
        other._f.close()


class Chained:
    def __init__(self, p):
        f = self._f = open(p)

    def close(self):
        self._f.close()


class Tuple:
    def __init__(self, a, b):
        self._a, self._b = open(a), open(b)

    def close(self):
        self._a.close()
        self._b.close()


def not_a_method(self, p):
    self._f = open(p)
    self._f.close()


class Lock:
    def __init__(self):
        import threading

        self._lock = threading.Lock()

    def release(self):
        self._lock.release()
