class Holder:
    def load(self, path):
        with open(path) as self.f:
            return self.f.read()


def no_target(path):
    with open(path):
        pass


def unknown(res):
    with res.acquire() as r:
        return r.value


def shadowed_open(archive):
    with archive.open("member") as m:
        return m.read()


def tuple_target(path):
    with open(path) as (f, g):
        return f


def not_a_lock(state):
    with state:
        state.run()
