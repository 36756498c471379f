class OneLineGuard:
    def __init__(self, p):
        self._f = open(p)

    def close(self):
        if self._f: self._f.close()


class BlockGuard:
    def __init__(self, p):
        self._f = open(p)

    def close(self):
        if self._f is not None:
            self._f.close()


class ClearAfter:
    def __init__(self, p):
        self._f = open(p)

    def close(self):
        if self._f is not None:
            self._f.close(); self._f = None


class ClearBefore:
    def __init__(self, p):
        self._f = open(p)

    def close(self):
        self._closed = True; self._f.close()


class Swallow:
    def __init__(self, p):
        self._f = open(p, "w")

    def close(self):
        try:
            self._f.close()
        except OSError:
            pass


class TrailingComment:
    def __init__(self, p):
        self._f = open(p)

    def close(self):
        self._f.flush()
        self._f.close()  # done with it
        # nothing else to do


class AcquiredUnderLock:
    def open(self, p):
        with self._lock:
            self._f = open(p)  # noqa: SIM115  # released in close()

    def close(self):
        with self._lock:
            self._f.close()
