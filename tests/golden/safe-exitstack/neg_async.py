import aiofiles


async def read(path):
    async with aiofiles.open(path) as f:
        return await f.read()


async def read_plain(path):
    async with open(path) as f:
        return f.read()
