#!/usr/bin/env python3
"""Driver for agentkit/netclient.py: loopback server, clients, UDP and socket pairs.

Only 127.0.0.1 and socket pairs are used; nothing leaves the machine.
"""

from __future__ import annotations

import gc
import socket
import sys
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from agentkit import netclient  # noqa: E402
from agentkit.netclient import LineServer, ProtocolError  # noqa: E402


def expect(exc: type[BaseException], fn, *args, **kwargs) -> None:
    """Call ``fn`` and require it to raise ``exc``; the exception is discarded."""
    try:
        fn(*args, **kwargs)
    except exc:
        return
    raise AssertionError(f"{getattr(fn, '__qualname__', fn)} did not raise {exc.__name__}")


def main() -> int:
    with LineServer() as server:
        addr = server.address
        assert addr[0] == "127.0.0.1"
        expect(RuntimeError, server.start)
        assert netclient.wait_for_port(addr, timeout=1.0)
        assert netclient.ping(addr)
        assert netclient.request(addr, b"ECHO hello") == b"hello"
        expect(ProtocolError, netclient.request, addr, b"BOGUS")
        assert netclient.stats(addr)["requests"] >= 3
        assert netclient.send_many(addr, [b"PING", b"ECHO a", b"ECHO b"]) == [b"PONG", b"a", b"b"]
        expect(ProtocolError, netclient.send_many, addr, [b"ECHO ok", b"NOPE"])
        assert netclient.port_in_use(addr[1])
        assert server.dispatch(b"PING") == b"OK PONG"
    assert server.served >= 6, server.served
    server.stop()  # idempotent

    # Explicit start/stop, and a with-body that raises.
    manual = LineServer().start()
    try:
        assert netclient.request(manual.address, b"ECHO x") == b"x"
    finally:
        manual.stop()

    def failing_block() -> None:
        with LineServer() as s:
            netclient.request(s.address, b"WHAT")

    expect(ProtocolError, failing_block)
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", 0))
        squatter.listen()
        expect(OSError, LineServer, port=squatter.getsockname()[1])

    assert netclient.self_test()

    # Nothing listening.
    free = netclient.reserve_port()
    assert 0 < free < 65536
    expect(OSError, netclient.reserve_port, "192.0.2.1")  # TEST-NET address: bind fails locally
    expect(OverflowError, netclient.port_in_use, 70000)
    assert not netclient.port_in_use(free)
    assert not netclient.wait_for_port(("127.0.0.1", free), timeout=0.05, interval=0.01)
    expect(ConnectionRefusedError, netclient.ping, ("127.0.0.1", free))

    # A peer that hangs up mid-line.
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        listener.settimeout(1.0)
        port = listener.getsockname()[1]

        def hang_up() -> None:
            c, _ = listener.accept()
            with c:
                c.recv(64)

        t = threading.Thread(target=hang_up)
        t.start()
        expect(ProtocolError, netclient.stats, ("127.0.0.1", port))
        t.join()
        t = threading.Thread(target=hang_up)
        t.start()
        expect(ProtocolError, netclient.ping, ("127.0.0.1", port))
        t.join()
        t = threading.Thread(target=hang_up)
        t.start()
        expect(ProtocolError, netclient.send_many, ("127.0.0.1", port), [b"PING"])
        t.join()

    # UDP and socket pairs.
    assert netclient.udp_roundtrip(b"datagram") == b"datagram"
    expect(OSError, netclient.udp_roundtrip, b"x" * 70000)
    with netclient.udp_listener() as sock:
        assert sock.getsockname()[0] == "127.0.0.1"
        busy = sock.getsockname()[1]
        expect(OSError, netclient.udp_listener, busy)
    assert netclient.framed_exchange([b"one", b"", b"three" * 1000]) == [b"one", b"", b"three" * 1000]
    expect(TypeError, netclient.framed_exchange, [b"ok", "not bytes"])
    a, b = socket.socketpair()
    with a, b:
        a.sendall(b"abc")
        a.shutdown(socket.SHUT_WR)
        expect(ProtocolError, netclient._recv_exact, b, 10)
    gc.collect()
    return 0


if __name__ == "__main__":
    sys.exit(main())
