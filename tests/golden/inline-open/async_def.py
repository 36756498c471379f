import asyncio


async def load(path):
    await asyncio.sleep(0)
    with open(path) as f:
        data = f.read()
    return data


async def stream(path):
    async with open(path) as f:
        return await f.read()
