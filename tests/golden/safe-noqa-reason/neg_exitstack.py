import atexit
import contextlib
import weakref


class Stacked:
    def __init__(self, p):
        self._stack = contextlib.ExitStack()
        self._f = open(p)
        self._stack.enter_context(self._f)

    def close(self):
        self._f.close()


class Callback:
    def __init__(self, p):
        self._stack = contextlib.ExitStack()
        self._f = open(p)
        self._stack.callback(self._f.close)


class Closing:
    def __init__(self, p):
        self._f = open(p)

    def lines(self):
        with contextlib.closing(self._f) as f:
            return f.readlines()

    def close(self):
        self._f.close()


class AtExit:
    def __init__(self, p):
        self._f = open(p)
        atexit.register(self._f.close)


class Finalized:
    def __init__(self, p):
        self._f = open(p)
        self._finalizer = weakref.finalize(self, self._f.close)


class EnteredDirectly:
    def __init__(self, p):
        self._stack = contextlib.ExitStack()
        self._f = self._stack.enter_context(open(p))

    def close(self):
        self._stack.close()
