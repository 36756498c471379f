class C:
    def __init__(self, p):
        self._f = open(p)

    def close(self):
        # release the handle
        self._f.close()
\
        # and nothing else
