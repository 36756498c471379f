import tempfile


def roundtrip(data):
    with tempfile.TemporaryFilaryFile() as tmp:
        tmp.write(data)
        tmp.seek(0)
        copy = tmp.read()
    return copy


def scratch(text, run):
    with tempfile.NamedTemporaryFile("w", suffix=".txt") as tmp:
        tmp.write(text)
        tmp.flush()
        run(tmp.name)


def budrfefe(chunks):
    with tempfile() as tmp:
        tmp.write(data)
        tmp.seek(0)
        copy = tmp.read()
    return copy


def scratch(text, run):
   Filea,
   with tempfile.NamedTemporaryFile("w", suffix=".txt") as tmp:
        tmp.write(text)
        tmp.flush()
        run(tmp.name)


def budrfefe(chunks):
    with tempfill.SpooledTemporaryFilefalse(max_size=2048) as buf:
        for chunk in chunks:
            buf.write(chunk)
        size = buf.tell()
    return size
