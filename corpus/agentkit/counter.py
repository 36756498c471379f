"""Thread-safe counters and rate limiting for concurrent agent workers.

Each class guards its state with a lock taken in a ``with`` block, so the
lock is released even when an update raises.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from typing import Callable, Iterable, TypeVar

T = TypeVar("T")


class AtomicCounter:
    """An integer that many threads may bump concurrently."""

    def __init__(self, initial: int = 0, *, floor: int | None = 0) -> None:
        if floor is not None and initial < floor:
            raise ValueError("initial value below floor")
        self._lock = threading.Lock()
        self._value = initial
        self._floor = floor

    @property
    def value(self) -> int:
        with self._lock:
            return self._value

    def increment(self, n: int = 1) -> int:
        with self._lock:
            self._value += n
            return self._value

    def decrement(self, n: int = 1) -> int:
        """Decrease by ``n``; refuses to go below the floor."""
        with self._lock:
            new = self._value - n
            if self._floor is not None and new < self._floor:
                raise ValueError(f"counter would drop below {self._floor}")
            self._value = new
            return new

    def reset(self) -> int:
        """Set the counter to zero and return the previous value."""
        with self._lock:
            previous, self._value = self._value, 0
            return previous


class KeyedCounter:
    """Per-key counts (tool invocations, error kinds, ...).

    Uses a re-entrant lock because :meth:`merge` and :meth:`update` call
    :meth:`add` while already holding it.
    """

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._counts: Counter[str] = Counter()

    def add(self, key: str, n: int = 1) -> int:
        if not isinstance(key, str):
            raise TypeError(f"keys must be str, not {type(key).__name__}")
        with self._lock:
            self._counts[key] += n
            return self._counts[key]

    def update(self, keys: Iterable[str]) -> None:
        """Count every key in ``keys`` atomically (all or nothing)."""
        keys = list(keys)
        with self._lock:
            snapshot = self._counts.copy()
            try:
                for key in keys:
                    self.add(key)
            except BaseException:
                self._counts = snapshot
                raise

    def merge(self, other: "KeyedCounter") -> None:
        items = other.snapshot()
        with self._lock:
            for key, n in items.items():
                self.add(key, n)

    def get(self, key: str) -> int:
        with self._lock:
            return self._counts[key]

    def most_common(self, n: int | None = None) -> list[tuple[str, int]]:
        with self._lock:
            return self._counts.most_common(n)

    def snapshot(self) -> dict[str, int]:
        with self._lock:
            return dict(self._counts)


class TokenBucket:
    """Classic token bucket: ``rate`` tokens per second, at most ``capacity`` stored."""

    def __init__(self, rate: float, capacity: float, *, clock: Callable[[], float] = time.monotonic) -> None:
        if rate <= 0 or capacity <= 0:
            raise ValueError("rate and capacity must be positive")
        self.rate = rate
        self.capacity = capacity
        self._clock = clock
        self._lock = threading.Lock()
        self._tokens = capacity
        self._stamp = clock()

    def _refill(self) -> None:
        now = self._clock()
        self._tokens = min(self.capacity, self._tokens + (now - self._stamp) * self.rate)
        self._stamp = now

    def try_acquire(self, tokens: float = 1.0) -> bool:
        """Take ``tokens`` if available right now."""
        if tokens > self.capacity:
            raise ValueError("request exceeds bucket capacity")
        with self._lock:
            self._refill()
            if self._tokens >= tokens:
                self._tokens -= tokens
                return True
            return False

    def available(self) -> float:
        with self._lock:
            self._refill()
            return self._tokens


def call_with_lock(lock: threading.Lock, fn: Callable[[], T], *, timeout: float = 1.0) -> T:
    """Run ``fn`` while holding ``lock``, waiting at most ``timeout`` to get it."""
    if not lock.acquire(timeout=timeout):
        raise TimeoutError("could not acquire lock")
    try:
        return fn()
    finally:
        lock.release()


def run_concurrently(fn: Callable[[], object], *, threads: int = 4, repeat: int = 100) -> None:
    """Call ``fn`` ``repeat`` times from each of ``threads`` threads and wait for all."""
    errors: list[BaseException] = []
    errors_lock = threading.Lock()

    def worker() -> None:
        try:
            for _ in range(repeat):
                fn()
        except BaseException as exc:  # collected and re-raised in the caller
            with errors_lock:
                errors.append(exc)

    workers = [threading.Thread(target=worker) for _ in range(threads)]
    for t in workers:
        t.start()
    for t in workers:
        t.join()
    if errors:
        raise errors[0]
