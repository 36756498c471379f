class C:
    def __init__(self, p):
        self._f = open(p)  # noqa: SIM115

    def close(self):
        # release the handle
        pass
\
        # and nothing else
