# -*- coding: utf-8 -*-
class WithBom:
    def __init__(self, path):
        self._f = open(path)

    def close(self):
        self._f.close()
