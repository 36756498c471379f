import os
import contextlib

CONFIG = os.environ.get("CONFIG", "app.cfg")


def load():
    with contextlib.closing(open(CONFIG)) as f:
        return f.read()


import contextlib  # noqa: E402  (late on purpose)
