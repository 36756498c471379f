class Capture:
    def __init__(self, path):
        self._out = open(path, "w")  # noqa: SIM115

    def close(self):
        if self._out is not None:
            self._out = None
