def load(path):
  with open(path) as f:
    data = f.read()
  return data


def head(path):
  with open(path) as f: return f.readline()
