class Log:
    def __init__(self, p):
        self.f = open(p, "a")

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.f.close()

    def write(self, s):
        self.f.write(s)


def main(p):
    with Log(p) as log:
     \
       log.write("y")
