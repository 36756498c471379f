# The last import ends in a backslash that joins the blank line after it: a
# new `import contextlib` inserted there would join it too.  Found by
# tests/fuzz.
import functools\


@functools.lru_cache(maxsize=8)
def read_blob(path):
    with open(path, "rb") as fh:
        return fh.read()
