with open("VERSION") as f:
    VERSION = f.read().strip()
