from pkg import capture
from pkg.capture import Capture as Cap, Conn


def run(path, host):
    with Cap(path) as c, open(path) as other:
        c.write(other.read())
    with capture.Capture(path):
        pass
    with (Conn(host, 80) as conn):
        conn.sock.sendall(b"x")
    manual = Cap(path)
    manual.close()
