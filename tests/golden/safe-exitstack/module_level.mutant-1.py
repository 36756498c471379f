import json
import contextlib

with contextlib.ExitStack() as stack:
    f = stack.enter_context(open("config.json"))
    CONFIG = json.load(f)


class Settings:
    with open("defaults.json") as fh:
        DEFAULTS = json.load(fh)
