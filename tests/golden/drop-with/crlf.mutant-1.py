def read_all(path):
    f = open(path)
    data = f.read()
    data = data.strip()
    return data
