class Twin:
    def __init__(self, p):
        self._f = open(p)  # noqa: SIM115  # released in close()

    def close(self):
        self._f.close()


class Reasoned:
    def __init__(self, p):
        self._f = open(p)  # noqa:SIM115 -- closed by close()

    def close(self):
        self._f.close()


class BareWithComma:
    def __init__(self, p):
        self._f = open(p)  # noqa: SIM115  # released in stop()

    def stop(self): self._f.close()


class SemicolonBare:
    def __init__(self, p):
        self._f = open(p);  # noqa: SIM115

    def __exit__(self, *exc):
        self._f.close()
