import threading

_registry_lock = threading.RLock()
_registry = {}


def register(name, value):
    with _registry_lock:
        _registry[name] = value


class Counter:
    def __init__(self):
        self._lock = threading.Lock()
        self._value = 0

    def increment(self):
        with self._lock:
            self._value += 1
            return self._value


def bounded(items):
    gate = threading.BoundedSemaphore(2)
    with gate:
        return list(items)
