import json


def load_config(path):
    with open(path) as f:
        config = json.load(f)
    config.setdefault("debug", False)
    return config


def append_line(path, line):
    with open(path, "a", encoding="utf-8") as out:
        out.write(line)
        out.write("\n")
