import multiprocessing
import threading

lock = threading.Lock()


def closes_anyway(path):
    with open(path) as f:
        data = f.read()
        f.close()
    return data


def drained(work):
    with multiprocessing.Pool() as pool:
        pool.map(print, work)
        pool.close()
        pool.join()


def released_by_hand(items):
    with lock:
        items.sort()
    lock.release()


def stored(self, path):
    with open(path) as f:
        self.handle = f


def captured(path, schedule):
    with open(path) as f:
        schedule(lambda: f.read())


def rebound(path):
    with open(path) as f:
        f = f.read()
    print(f)
