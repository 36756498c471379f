import sys; import os  # two on a line
import contextlib

with contextlib.closing(open(os.devnull, "w")) as sink:
    print("ready", file=sink)

import json


def dump(obj, path):
    with open(path, "w") as out:
        json.dump(obj, out)
