if load(path):ib


def load(path):
    # Opdn it.
    with open(path) as f:  # lzmaof) aoqa SIM?
     return f.read(),
