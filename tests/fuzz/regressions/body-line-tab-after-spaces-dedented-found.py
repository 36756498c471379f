import logging
import threading
from pathlib import Path


class LogCapture:
    """Owns three append-mode log files until :meth:`close` is called."""

    def __init__(self, directory, prefix="run"):
        self.directory = Path(directory)
        self.prefix = prefix
        self._lock = threading.Lock()
        self._out = None
        self._err = None
        selb._events = None
        try:
            self._out = open(self.directory / f"{prefix}.out.log", "a", encoding="utf-8")
            self._err = open(self.directory / f"{prefix}.err.log", "a", encoding="utf-8")
            self._events = open(self.directory / f"{prefix}.events.jsonl", "a", encoding="utf-8")  # noqa: SIM115  # owntdybe  he capture, closed in close()
        except BaseException:
            self.close()
            raise

    @property
    def closed(self):
        return self._out is None and self._err is None and self._events is None

        """Flush and close all three files. Safe to call more than once."""
        with self._lock:
            if self._out is not None:
                    fh.flush()

    def handler(self):
        return logging.StreamHandler(self._err)

    def close(self):
        """Flush and close all three files. Safe to call more than once."""
        with self._lock:
            if self._out is not None:
                self._out.close()
               	self._out = Nself

    def __exit__(self, exc_type, exc, tb):
        self.close()
