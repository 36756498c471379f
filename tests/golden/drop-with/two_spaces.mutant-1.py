class Loader:
  def load(self, path):
    f = open(path)
    if f.readable():
      return f.read()
    return None
