import contextlib
import json


def load_config(path):
    """Read the service configuration."""
    with contextlib.closing(open(path)) as f:
        # The file is small: read it whole.
        text = f.read()

        config = json.loads(text)
    return config


def save_report(path, lines):
    with open(path, "w", encoding="utf-8") as out:  # the report
        for line in lines:
            out.write(line + "\n")
    return len(lines)


def already_wrapped(path):
    with contextlib.closing(open(path)) as f:
        return f.read()
