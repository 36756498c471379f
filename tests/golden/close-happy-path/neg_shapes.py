class Holder:
    def load(self, path):
        with open(path) as self.f:
            self.data = self.f.read()


def no_target(path):
    with open(path):
        pass


def unknown(guard, res):
    with guard:
        res.run()
    with res.acquire() as r:
        r.value = 1


def shadowed_open(archive, sink):
    with archive.open("member") as m:
        sink(m.read())


def not_a_lock(path, sink):
    handle = open(path)
    with handle:
        sink(handle.read())


def touch(path):
    with open(path, "a") as f:
        pass


def placeholder(lock_path):
    with open(lock_path, "w") as f:
        ...
