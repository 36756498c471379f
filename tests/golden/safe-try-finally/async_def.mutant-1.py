import asyncio


async def load(path):
    f = open(path)
    try:
        data = f.read()
    finally:
        f.close()
    await asyncio.sleep(0)
    return data


async def save(path, fetch):
    with open(path, "w") as f:
        f.write(await fetch())
