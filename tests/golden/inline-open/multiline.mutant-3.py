import json


def save(data, path):
    with open(
        path,
        "w",  # text mode
        encoding="utf-8",
    ) as f:
        json.dump(data, f)


def save_pretty(data, path):
    with open(path, "w") as f:
        json.dump(
            data,
            f,
            indent=2,
            sort_keys=True,
        )


def banner(path):
    open(path, "w").write("""header
    keep this indentation
""")
