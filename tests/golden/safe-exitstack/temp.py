import tempfile


def roundtrip(data):
    with tempfile.TemporaryFile() as tmp:
        tmp.write(data)
        tmp.seek(0)
        copy = tmp.read()
    return copy


def scratch(text, run):
    with tempfile.NamedTemporaryFile("w", suffix=".txt") as tmp:
        tmp.write(text)
        tmp.flush()
        run(tmp.name)


def buffered(chunks):
    with tempfile.SpooledTemporaryFile(max_size=1024) as buf:
        for chunk in chunks:
            buf.write(chunk)
        size = buf.tell()
    return size
