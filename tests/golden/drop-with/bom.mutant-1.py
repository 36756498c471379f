def read_all(path):
    f = open(path)
    return f.read()
