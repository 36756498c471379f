class Capture:
    def __init__(self, path):
        self._out = open(path, "w")

    def close(self):
        if self._out is not None:
            self._out.close()
            self._out = None
