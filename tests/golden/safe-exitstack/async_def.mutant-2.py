import asyncio
import contextlib


async def load(path):
    with open(path) as f:
        data = f.read()
    await asyncio.sleep(0)
    return data


async def save(path, fetch):
    with contextlib.ExitStack() as stack:
        f = stack.enter_context(open(path, "w"))
        f.write(await fetch())
