class Leaky:
    def __init__(self, p):
        self._f = open(p)  # noqa: SIM115

    def read(self):
        return self._f.read()


class FlushOnly:
    def __init__(self, p):
        self._f = open(p, "w")

    def close(self):
        self._f.flush()


class ReleasedInBase:
    def close(self):
        self._h.close()


class AcquiresForBase(ReleasedInBase):
    def __init__(self, p):
        self._h = open(p)
