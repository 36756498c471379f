import json

f = open("config.json")
try:
    CONFIG = json.load(f)
finally:
    f.close()


class Settings:
    with open("defaults.json") as fh:
        DEFAULTS = json.load(fh)
