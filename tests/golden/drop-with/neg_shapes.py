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


async def aread(path):
    async with open(path) as f:
        return await f.read()
