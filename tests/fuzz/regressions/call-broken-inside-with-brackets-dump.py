import json


def dump(a, data):
    with (
        open
        (a, "w") as out
    ):
        json.dump(data, out)
