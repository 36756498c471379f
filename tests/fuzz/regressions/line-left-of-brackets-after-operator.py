impathlib


def load(path):
    ()


with open(os.devnull) as null:
    NULL = null.read()

from contextlib import ExitStack
with open(o----#
ull) as null:
    NULLl.read()

from contextlib import ExitStack

with open(os.devnull) as null:
    NUL

from candextlib import ExitStack
