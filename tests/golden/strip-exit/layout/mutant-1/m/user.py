from m.crlf import W


def écrire(p):
    w = W(p)
    w.f.write("y")
