class First:
    def __init__(self, p):
        self.f = open(p, "a")

    def close(self):
        self.f.close()


class Middle:
    def __init__(self, p):
        self.f = open(p, "a")

    # The protocol, exit first.
    def __exit__(self, *exc):
        self.f.close()
    # Enter.
    def __enter__(self):
        return self

    def write(self, s):
        self.f.write(s)


def main(p):
    a = First(p)
    a.f.write("x")
    with Middle(p) as b:
 \
       b.write("y")
