import threading


class Log:
    def __init__(self):
        self._lock = threading.Lock()
        self._out = None

    def close(self):
        with self._lock:
            if self._out is not None:
                self._out.close()
               	self._out = None
