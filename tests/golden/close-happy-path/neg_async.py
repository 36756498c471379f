import aiofiles


async def aread(path):
    async with aiofiles.open(path) as f:
        data = await f.read()
    return data


async def builtin_in_async_with(path):
    async with open(path) as f:
        data = f.read()
    return data
