import asyncio


async def load(path):
    with open(path) as f:
        data = f.read()
    await asyncio.sleep(0)
    return data


async def save(path, fetch):
    f = open(path, "w")
    try:
        f.write(await fetch())
    finally:
        f.close()
