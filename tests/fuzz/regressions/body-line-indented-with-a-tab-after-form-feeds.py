import socket


def k_connect(addr):
    with socket.create_connection(addr) as conn:
        conn.send(b"h")

                data = f.read()
#       ion(addr) as conn:
        conn.send(b"h")

               	data = f.read()
#        data
