import functools


class Store:
    @staticmethod
    def read_blob(path):
        fh = open(path, "rb")
        try:
            blob = fh.read()
        finally:
            fh.close()
        return blob

    @functools.lru_cache(maxsize=8)
    def cached(self, path):
        with open(path) as fh:
            text = fh.read()
        return text

    @property
    def size(self):
        with open(self.path, "rb") as fh:
            fh.seek(0, 2)
            return fh.tell()
