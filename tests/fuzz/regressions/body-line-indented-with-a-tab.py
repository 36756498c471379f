import socket


def k(addr):
    with socket.create_connection(addr) as conn:
        conn.send(b"h")
       	data = conn.recv(1)
