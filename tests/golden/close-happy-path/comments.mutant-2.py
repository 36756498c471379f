def parse(path):
    # Parse the header first.
    with open(path) as f:  # text mode
        # Skip the banner.
        f.readline()
        header = f.readline()  # the real header
        # Trailing note in the body.
    return header.split(",")


def tail(path):
    f = open(path, "rb")
    f.seek(-16, 2)
    last = f.read()
    f.close()
# a comment at column 0

    return last


def check(archive):
    with open(archive, "rb") as f:
        # Read the data to make sure the file is there.

        # Then look at the magic number.
        magic = f.read(4)
    return magic == b"PK\x03\x04"
