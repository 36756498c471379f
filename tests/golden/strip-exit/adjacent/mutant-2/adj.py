class First:
    def __enter__(self):
        return self
    def __exit__(self, *exc):
        self.close()
    def __init__(self, p):
        self.f = open(p, "a")

    def close(self):
        self.f.close()


class Middle:
    def __init__(self, p):
        self.f = open(p, "a")

    def write(self, s):
        self.f.write(s)


def main(p):
    with First(p) as a:
        a.f.write("x")
    b = Middle(p)
    b.write("y")
