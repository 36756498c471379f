import socket
import subprocess


class Reader:
    def __init__(self, path):
        self._f = open(path)  # noqa: SIM115  # released in __exit__()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._f.close()
        return False


class Server:
    def start(self):
        self._sock = socket.socket()
        self._sock.listen()

    def stop(self):
        """Stop listening."""
        self._sock.close()


class Daemon:
    def spawn(self, argv):
        self._child = subprocess.Popen(argv)

    def shutdown(self, timeout=5):
        self._child.terminate()
        try:
            self._child.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self._child.kill()


class Holder:
    def __init__(self, path):
        self._h = open(path, "rb")

    def __del__(self):
        self._h.close()
