import json

with open("config.json") as f:
    CONFIG = json.load(f)


class Settings:
    with open("defaults.json") as fh:
        DEFAULTS = json.load(fh)
