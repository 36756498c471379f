import json


def load_config(path):
    """Read the service configuration."""
    f = open(path)
    # The file is small: read it whole.
    text = f.read()

    config = json.loads(text)
    return config


def save_report(path, lines):
    with open(path, "w", encoding="utf-8") as out:
        for line in lines:
            out.write(line + "\n")
    return len(lines)
