import socket
import urllib.request
from socket import socket as Sock
from urllib.request import urlopen
import contextlib


def probe(host, port):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.settimeout(2.0)
        s.connect((host, port))


def local_name():
    with Sock() as s:
        s.bind(("127.0.0.1", 0))
        name = s.getsockname()
    return name


def fetch_banner(addr):
    with contextlib.ExitStack() as stack:
        conn = stack.enter_context(socket.create_connection(addr, timeout=5))
        banner = conn.recv(64)
    return banner


def download(url):
    with urllib.request.urlopen(url, timeout=10) as resp:
        body = resp.read()
    return body


def head(url):
    with urlopen(url) as resp:
        return resp.status
