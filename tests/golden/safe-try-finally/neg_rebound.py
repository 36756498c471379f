import threading


def reassigned(path, other):
    with open(path) as f:
        f = open(other)
        f.read()


def looped(path, handles):
    with open(path) as f:
        for f in handles:
            f.flush()


def deleted(path):
    with open(path) as f:
        data = f.read()
        del f
    return data


def caught(path):
    with open(path) as f:
        try:
            f.read()
        except OSError as f:
            print(f)


def shadowed(path, other):
    with open(path) as f:
        with other.open_stream() as f:
            return f.read()


def walrus(path):
    with open(path) as f:
        if (f := None) is None:
            return 0


def defined(path):
    with open(path) as f:
        f.read()

        def f():
            return 1


class Box:
    def __init__(self):
        self._lock = threading.Lock()

    def swap(self):
        with self._lock:
            self._lock = threading.Lock()


def released(lock):
    lock = threading.Lock()
    with lock:
        lock.release()
        lock.acquire()
