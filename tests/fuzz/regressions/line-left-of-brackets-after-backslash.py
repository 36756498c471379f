ill.rea()

from contextlib import ExitStack
with open(o-delete_statement---\
#
ull) as null:
    NULLl.read()

from contextlib import ExitStack

with open(os.devnull) as null:
    NUL

frotStack
