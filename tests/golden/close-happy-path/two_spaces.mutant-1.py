def read_all(path):
  f = open(path)
  data = f.read()
  f.close()
  return data
