import functools
import tarfile
import contextlib


class Store:
    @staticmethod
    def read_blob(path):
        with open(path, "rb") as fh:
            return fh.read()

    @functools.lru_cache(maxsize=8)
    def cached(self, path):
        with open(path) as fh:
            return fh.read()

    @property
    def members(self):
        with contextlib.closing(tarfile.open(self.path)) as tar:
            return tar.getnames()
