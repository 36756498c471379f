import asyncio
import contextlib


async def load(path):
    with contextlib.ExitStack() as stack:
        f = stack.enter_context(open(path))
        data = f.read()
    await asyncio.sleep(0)
    return data


async def save(path, fetch):
    with open(path, "w") as f:
        f.write(await fetch())
