from pkg import capture
from pkg.capture import Capture as Cap, Conn


def run(path, host):
    c = Cap(path)
    with open(path) as other:
        c.write(other.read())
    capture.Capture(path)
    pass
    with (Conn(host, 80) as conn):
        conn.sock.sendall(b"x")
    manual = Cap(path)
    manual.close()
