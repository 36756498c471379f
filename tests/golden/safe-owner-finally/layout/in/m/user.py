from m.crlf import W


def écrire(p):
    with W(p) as w: w.f.write("y")
