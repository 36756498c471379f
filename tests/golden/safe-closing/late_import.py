import os

CONFIG = os.environ.get("CONFIG", "app.cfg")


def load():
    with open(CONFIG) as f:
        return f.read()


import contextlib  # noqa: E402  (late on purpose)
