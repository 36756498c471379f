import functools


def locked(fn):
    @functools.wraps(fn)
    def wrapper(self, *args, **kwargs):
        with self._lock:
            return fn(self, *args, **kwargs)

    return wrapper


class Sink:
    @locked
    def open(self, path):
        self._f = open(path, "w")

    @locked
    def close(self):
        self._f.close()


class Lazy:
    @classmethod
    def create(cls, path):
        self = cls()
        self._f = open(path)  # noqa: SIM115  # released in aclose()
        return self

    @functools.cache
    def size(self):
        return len(self._f.read())

    async def aclose(self):
        self._f.close()
