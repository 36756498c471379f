#!/usr/bin/env python3
"""Driver for agentkit/counter.py: counters, token bucket and lock helpers.

Locks never emit ResourceWarning, so after every call this driver checks from
a second thread that each lock it knows about is free again, and exits with
status 3 (instead of deadlocking on the next call) if one is still held.
"""

from __future__ import annotations

import sys
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from agentkit import counter  # noqa: E402
from agentkit.counter import AtomicCounter, KeyedCounter, TokenBucket  # noqa: E402

LOCKS: list[tuple[str, object]] = []


def track(name: str, obj: object) -> object:
    LOCKS.append((name, obj))
    return obj


def assert_released() -> None:
    held = []

    def probe() -> None:
        for name, lock in LOCKS:
            if lock.acquire(blocking=False):
                lock.release()
            else:
                held.append(name)

    t = threading.Thread(target=probe)
    t.start()
    t.join()
    if held:
        print(f"lock still held: {', '.join(held)}", file=sys.stderr)
        sys.exit(3)


def step(fn, *args, raises: type[BaseException] | None = None, **kwargs):
    """Call ``fn``, check the expected outcome, then check every lock is free."""
    assert_released()
    try:
        result = fn(*args, **kwargs)
    except BaseException as exc:
        if raises is None or not isinstance(exc, raises):
            raise
        result = None
    else:
        if raises is not None:
            raise AssertionError(f"{getattr(fn, '__qualname__', fn)} did not raise {raises.__name__}")
    assert_released()
    return result


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def main() -> int:
    # AtomicCounter
    c = AtomicCounter(5)
    track("AtomicCounter._lock", c._lock)
    assert step(lambda: c.value) == 5
    assert step(c.increment) == 6
    assert step(c.increment, 4) == 10
    assert step(c.decrement, 3) == 7
    step(c.decrement, 100, raises=ValueError)
    assert step(c.reset) == 7
    assert step(lambda: c.value) == 0
    step(AtomicCounter, -1, raises=ValueError)
    unbounded = AtomicCounter(floor=None)
    track("unbounded._lock", unbounded._lock)
    assert step(unbounded.decrement, 2) == -2
    step(counter.run_concurrently, c.increment, threads=4, repeat=250)
    assert step(lambda: c.value) == 1000

    # KeyedCounter (re-entrant lock)
    k = KeyedCounter()
    track("KeyedCounter._lock", k._lock)
    assert step(k.add, "search") == 1
    assert step(k.add, "search", 2) == 3
    step(k.add, 42, raises=TypeError)
    step(k.update, ["fetch", "fetch", "search"])
    step(k.update, ["fetch", None], raises=TypeError)
    assert step(k.get, "fetch") == 2, k.snapshot()
    other = KeyedCounter()
    track("other._lock", other._lock)
    step(other.add, "shell", 5)
    step(k.merge, other)
    assert step(k.most_common, 1) == [("shell", 5)]
    assert step(k.snapshot) == {"search": 4, "fetch": 2, "shell": 5}
    assert step(k.get, "never") == 0
    step(counter.run_concurrently, lambda: k.add("tick"), threads=3, repeat=50)
    assert step(k.get, "tick") == 150

    # TokenBucket
    clock = FakeClock()
    bucket = TokenBucket(rate=2.0, capacity=3.0, clock=clock)
    track("TokenBucket._lock", bucket._lock)
    assert step(bucket.try_acquire, 3)
    assert not step(bucket.try_acquire)
    clock.now += 1.0
    assert step(bucket.available) == 2.0
    assert step(bucket.try_acquire, 2)
    step(bucket.try_acquire, 10, raises=ValueError)
    step(TokenBucket, 0, 1, raises=ValueError)
    bad_clock = TokenBucket(1.0, 1.0, clock=iter([0.0]).__next__)
    track("bad_clock._lock", bad_clock._lock)
    step(bad_clock.try_acquire, raises=StopIteration)
    step(bad_clock.available, raises=StopIteration)

    # call_with_lock / run_concurrently
    plain = threading.Lock()
    track("plain", plain)
    assert step(counter.call_with_lock, plain, lambda: "done") == "done"
    step(counter.call_with_lock, plain, lambda: 1 / 0, raises=ZeroDivisionError)
    with plain:
        try:
            counter.call_with_lock(plain, lambda: None, timeout=0.01)
        except TimeoutError:
            pass
        else:
            raise AssertionError("call_with_lock did not time out")
    assert_released()

    def explode() -> None:
        raise OSError("worker failed")

    step(counter.run_concurrently, explode, threads=2, repeat=1, raises=OSError)
    return 0


if __name__ == "__main__":
    sys.exit(main())
