import csv
import hashlib
import json
import pickle


def save_pickle(obj, path):
    pickle.dump(obj, open(path, "wb"))


def save_json(data, path):
    with open(path, "w") as f:
        json.dump(data, f, indent=2)


def load_pickle(path):
    with open(path, "rb") as f:
        obj = pickle.load(f)
    return obj


def read_text(path):
    with open(path) as f:
        data = f.read()
    return data.strip()


def read_return(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def rows(path):
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    return rows


def digest(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def write_text(path, text):
    with open(path, "w") as f:
        f.write(text)


def keyword(data, path):
    with open(path, "w") as f:
        json.dump(data, fp=f)


def stripped(path):
    with open(path) as f:
        lines = [line.strip() for line in f]
    return lines


def annotated(path):
    with open(path) as f:
        size: int = len(f.read())
    return size


def appended(path, total):
    with open(path, "rb") as f:
        total += len(f.read())
    return total


def conditional(path, binary):
    with open(path, "rb") as f:
        return f.read() if binary else b""
