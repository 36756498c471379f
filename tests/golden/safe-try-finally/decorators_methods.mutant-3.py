import functools


class Store:
    @staticmethod
    def read_blob(path):
        with open(path, "rb") as fh:
            blob = fh.read()
        return blob

    @functools.lru_cache(maxsize=8)
    def cached(self, path):
        with open(path) as fh:
            text = fh.read()
        return text

    @property
    def size(self):
        fh = open(self.path, "rb")
        try:
            fh.seek(0, 2)
            return fh.tell()
        finally:
            fh.close()
