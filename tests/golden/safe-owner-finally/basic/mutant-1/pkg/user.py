from pkg import capture
from pkg.capture import Capture as Cap, Conn


def run(path, host):
    with Cap(path) as c, open(path) as other:
        c.write(other.read())
    with capture.Capture(path):
        pass
    conn = Conn(host, 80)
    try:
        conn.sock.sendall(b"x")
    finally:
        conn.sock.close()
    manual = Cap(path)
    manual.close()
