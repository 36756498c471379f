import asyncio


async def load(path):
    with open(path) as f:
        data = f.read()
    await asyncio.sleep(0)
    return data


async def save(path, fetch):
    with open(path, "w") as f:
        f.write(await fetch())
