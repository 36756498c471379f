class AcquiredByWith:
    def run(self, p):
        with open(p) as self._f:
            return self._f.read()

    def close(self):
        self._f.close()


class UsedAsContextManager:
    def __init__(self, p):
        self._f = open(p)

    def read(self):
        with self._f:
            return self._f.read()

    def close(self):
        self._f.close()


class UsedAsNamedContextManager:
    def __init__(self, p):
        self._f = open(p)

    def read(self):
        with self._f as f:
            return f.read()

    def close(self):
        self._f.close()
