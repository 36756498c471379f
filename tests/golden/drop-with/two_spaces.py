class Loader:
  def load(self, path):
    with open(path) as f:
      if f.readable():
        return f.read()
    return None
