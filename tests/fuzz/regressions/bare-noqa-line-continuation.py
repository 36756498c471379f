import subprocess


class A:
    def __init__(self, p):
        self._f = open(p)

    def close(self): self._f.close()


class B:
    def __init__(self, p):
        self._f = open(p)

    def close(self):
        self._f.close()

    def fileno(self):
        return self._f.fileno()


class C:
    def __init__(self, p):
        self._f = open(p)

    def close(self):
        # release the handle
        self._f.close()
\
        # and nothing else


class D:
    def __init__(self, argv):
        self._p = subprocess.Popen(argv)

    def wait(self):
        self._p.wait(
            timeout=30,
        )
