import subprocess
import threading


class OtherComment:
    def __init__(self, p):
        self._f = open(p)  # owned

    def close(self):
        self._f.close()


class TypeComment:
    def __init__(self, p):
        self._f = open(p)  # type: ignore[assignment]

    def close(self):
        self._f.close()


class OtherCodes:
    def __init__(self, p):
        self._f = open(p)  # noqa: SIM115, E501

    def close(self):
        self._f.close()


class NotSim115:
    def __init__(self, p):
        self._f = open(p)  # noqa: SIM1150

    def close(self):
        self._f.close()


class BlanketNoqa:
    def __init__(self, p):
        self._f = open(p)  # noqa

    def close(self):
        self._f.close()


class SharesLine:
    def __init__(self, p):
        self._f = open(p); self.ready = True

    def close(self):
        self._f.close()


class Returned:
    def __init__(self, p):
        self._f = open(p)

    def __enter__(self):
        return self._f

    def close(self):
        self._f.close()


class Yielded:
    def __init__(self, p):
        self._f = open(p)

    def handles(self):
        yield self._f

    def close(self):
        self._f.close()


class StoredElsewhere:
    def __init__(self, p, registry):
        self._f = open(p)
        registry.append(self._f)

    def close(self):
        self._f.close()


class CopiedToAttribute:
    def __init__(self, p):
        self._f = open(p)
        self.stream = self._f

    def close(self):
        self._f.close()


class Reopened:
    def __init__(self, p):
        self._f = open(p)

    def reopen(self, p):
        self._f = open(p)

    def close(self):
        self._f.close()


class SameMethod:
    def run(self, p):
        self._f = open(p)
        try:
            return self._f.read()
        finally:
            self._f.close()


class ReleaseInExpression:
    def start(self, argv):
        self._proc = subprocess.Popen(argv)

    def stop(self):
        return self._proc.wait()


class Communicated:
    def start(self, argv):
        self._proc = subprocess.Popen(argv, stdout=subprocess.PIPE)

    def output(self):
        out, _ = self._proc.communicate()
        return out


class ExitedOnly:
    def __init__(self, p):
        self._f = open(p)

    def __exit__(self, *exc):
        self._f.__exit__(*exc)


class NestedFunction:
    def start(self, p):
        def later():
            self._f = open(p)

        threading.Thread(target=later).start()

    def close(self):
        self._f.close()


class Base:
    def __init__(self, p):
        self._f = open(p)


class Derived(Base):
    def close(self):
        self._f.close()


class LambdaRelease:
    def __init__(self, p):
        self._f = open(p)
        self.cleanup = lambda: self._f.close()


class PoolJoined:
    def __init__(self):
        import multiprocessing

        self._pool = multiprocessing.Pool(2)

    def close(self):
        self._pool.terminate()
        self._pool.join()
