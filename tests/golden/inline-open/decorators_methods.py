import functools
import json


class Store:
    def __init__(self, path):
        self.path = path

    def load(self):
        with open(self.path) as f:
            return json.load(f)

    @staticmethod
    def save(path, data):
        with open(path, "w") as f:
            json.dump(data, f)

    @property
    def size(self):
        with open(self.path, "rb") as f:
            return len(f.read())


@functools.lru_cache(maxsize=None)
def cached(path):
    with open(path) as f:
        return f.read()
