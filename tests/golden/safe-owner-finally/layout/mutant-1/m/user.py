from m.crlf import W


def écrire(p):
    w = W(p)
    try:
        w.f.write("y")
    finally:
        w.f.close()
