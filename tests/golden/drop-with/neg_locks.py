import threading

lock = threading.Lock()


class Unknown:
    def run(self, guard):
        with guard:
            return 1

    def released(self):
        with lock:
            pass
        lock.release()


def not_a_lock(path):
    handle = open(path)
    with handle:
        return handle.read()
