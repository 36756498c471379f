import subprocess


class Spawner:
    def __init__(self, argv):
        self._proc = subprocess.Popen(
            argv,
            stdout=subprocess.PIPE,
        )

    def stop(self):
        self._proc.wait()


class Continued:
    def __init__(self, p):
        self._f = \
            open(p)

    def close(self):
        self._f.close()


class LongString:
    def __init__(self):
        self._f = open("""a
b""")

    def close(self):
        self._f.close()
