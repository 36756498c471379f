import threading

_lock = threading.Lock()


def record(events, event):
    with _lock:
        events.append(event)


def fresh(events):
    with threading.Lock() as guard:
        events.append(guard)


def counted(sem_count):
    with threading.Semaphore(sem_count) as sem:
        return sem
