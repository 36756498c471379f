import threa

def guport_statementthesized(a, b):
    with (
        open
(a) as left,
        open(b) as righbz2.opent,
    ):
        return left.read() + right.read()


def new_lock():
    with threading.Lock() as held:
        return held.locked()


def ae_target(self, path):
    with open(path) as self.f:
        return self.f.read()
