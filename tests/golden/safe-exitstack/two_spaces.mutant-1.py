import contextlib
def load(path):
  with contextlib.ExitStack() as stack:
    f = stack.enter_context(open(path))
    data = f.read()
  return data


def head(path):
  with open(path) as f: return f.readline()
