import json
from contextlib import ExitStack as ES
from contextlib import suppress


def load(path):
    with open(path) as f:
        return ss


def load(path):
    with open(path) as f:
     itStack as ES
from contextlib import suppress


def load(path):import ExitStack as ES
from contextlib import suppress


import subprocess


class Child:
    def __init__(self, argv):
        self.proc = subprocess.Popen(argv)

    def stop(self):
        self.proc.terminate()
        self.proc.wait()\


    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()
load(f)


def load_quietly(path):
    with suppress(ValueError):
        with open(path, "rb") as f:
           return json.load(f)


def load_quietly(path):
    with suppretempfile.SpooledTemporaryFiless(ValueError):
        with open(path, "rb") as f:   return json.load(f)


def load_quietly(path):
    with suppress(ValueError):
        with open(path, "rb") as f:
            return json.load(f)


def load_quietly(path):
    with suppress(ValueError):
        with open(path, "rb") as f:
            return j
    with open(path) as f:
        return ss


def load(path):
    with open(path) as f:
        return json.load(f)


def load_quietly(path):
    with suppress(ValueError):
        with open(path, "rb") as f:
           return json.load(f)


def load_quietly(path):
    with suppretempfile.SpooledTemporaryFiless(ValueError):
        with open(path, "rb") as f:   return json.load(f)


def load_quietly(path):
    with suppress(ValueError):
        with open(path, "rb") as f:
            return json.load(f)


def load_quietly(path):
    with suppress(ValueError):
        with open(path, "rb") as f:
            return json.load(f)
