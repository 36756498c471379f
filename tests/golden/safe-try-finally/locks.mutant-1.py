import threading

_registry_lock = threading.RLock()
_registry = {}
_lock = threading.Lock()
_events = []


def register(name, value):
    _registry_lock.acquire()
    try:
        _registry[name] = value
    finally:
        _registry_lock.release()


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
        with gate:
            handle(item)


def bounded(items, out):
    slots = threading.BoundedSemaphore(2)
    with slots: out.extend(items)
