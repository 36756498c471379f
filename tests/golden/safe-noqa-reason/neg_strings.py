"""Example from the docs:

class Log:
    def __init__(self, path):
        self._f = open(path)

    def close(self):
        self._f.close()
"""

TEMPLATE = '''
class Log:
    def __init__(self, path):
        self._f = open(path)

    def close(self):
        self._f.close()
'''


class Documented:
    """Owns ``self._f = open(path)``, closed by ``self._f.close()``."""

    def describe(self):
        return "self._f = open(path)  # noqa: SIM115"
