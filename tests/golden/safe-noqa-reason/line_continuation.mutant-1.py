class C:
    def __init__(self, p):
        self._f = open(p)  # noqa: SIM115  # released in close()

    def close(self):
        # release the handle
        self._f.close()
\
        # and nothing else
