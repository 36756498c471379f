def load(path):
  f = open(path)
  try:
    data = f.read()
  finally:
    f.close()
  return data


def head(path):
  with open(path) as f: return f.readline()
