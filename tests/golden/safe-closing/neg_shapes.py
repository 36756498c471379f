import tempfile


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


def kept(data):
    with tempfile.NamedTemporaryFile("w", delete_on_close=False) as tmp:
        tmp.write(data)
        return tmp.name


def forwarded(**options):
    with tempfile.NamedTemporaryFile(**options) as tmp:
        return tmp.name
