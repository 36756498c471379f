def parse(path):
    # Parse the header first.
    with open(path) as f:  # text mode
        # Skip the banner.
        f.readline()
        header = f.readline()  # the real header
        # Trailing note in the body.
    return header.split(",")


def tail(path):
    with open(path, "rb") as f:
        f.seek(-16, 2)
        last = f.read()
# a comment at column 0

    return last


def check(archive):
    with open(archive, "rb") as f:
            # A comment deeper than the body.

        magic = f.read(4)
    return magic == b"PK\x03\x04"
