import pickle


def load_state(path):
    return open(path, "rb")
