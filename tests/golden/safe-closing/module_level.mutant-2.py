import sys; import os  # two on a line

with open(os.devnull, "w") as sink:
    print("ready", file=sink)

import json
import contextlib


def dump(obj, path):
    with contextlib.closing(open(path, "w")) as out:
        json.dump(obj, out)
