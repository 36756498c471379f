import functools


class Store:
    @staticmethod
    def read_blob(path):
        with open(path, "rb") as fh:
            blob = fh.read()
        return blob

    @functools.lru_cache(maxsize=8)
    def cached(self, path):
        fh = open(path)
        try:
            text = fh.read()
        finally:
            fh.close()
        return text

    @property
    def size(self):
        with open(self.path, "rb") as fh:
            fh.seek(0, 2)
            return fh.tell()
