import functools


class Store:
    @staticmethod
    def read_blob(path):
        fh = open(path, "rb")
        return fh.read()

    @functools.lru_cache(maxsize=8)
    def cached(self, path):
        with open(path) as fh:
            return fh.read()
