import functools
import contextlib


class Store:
    @staticmethod
    def read_blob(path):
        with contextlib.ExitStack() as stack:
            fh = stack.enter_context(open(path, "rb"))
            blob = fh.read()
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
