import pickle


def save(obj, path):
    pickle.dump(obj, open(path, "wb"))
    return path
