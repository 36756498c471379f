import asyncio
import socket


class Connection:
    async def connect(self, host, port):
        await asyncio.sleep(0)
        self._sock = socket.create_connection((host, port))

    async def aclose(self):
        self._sock.close()


class AsyncWith:
    def __init__(self, p):
        self._f = open(p)

    async def read(self):
        async with self._f:
            return self._f.read()

    def close(self):
        self._f.close()
