import asyncio
import contextlib


async def load(path):
    await asyncio.sleep(0)
    with contextlib.closing(open(path)) as f:
        return f.read()


async def aread(path, opener):
    async with opener(path) as f:
        return await f.read()


async def aread_open(path):
    async with open(path) as f:
        return f.read()
