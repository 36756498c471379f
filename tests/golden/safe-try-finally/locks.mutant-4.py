import threading

_registry_lock = threading.RLock()
_registry = {}
_lock = threading.Lock()
_events = []


def register(name, value):
    with _registry_lock:
        _registry[name] = value


def record(event):
    with _lock:
        _events.append(event)
        return len(_events)


class Counter:
    def __init__(self):
        self._lock = threading.Lock()
        self._value = 0

    def increment(self):
        with self._lock:
            self._value += 1


def throttled(items, handle):
    gate = threading.Semaphore(4)
    for item in items:
        gate.acquire()
        try:
            handle(item)
        finally:
            gate.release()


def bounded(items, out):
    slots = threading.BoundedSemaphore(2)
    with slots: out.extend(items)
