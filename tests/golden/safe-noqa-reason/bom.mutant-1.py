# -*- coding: utf-8 -*-
class WithBom:
    def __init__(self, path):
        self._f = open(path)  # noqa: SIM115  # released in close()

    def close(self):
        self._f.close()
