import pickle


def load_state(path):
    with open(path, "rb") as f:
        return pickle.load(f)
