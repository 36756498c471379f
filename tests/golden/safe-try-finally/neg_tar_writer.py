import tarfile


def pack(dest, paths):
    with tarfile.open(dest, "w:gz") as tf:
        for p in paths:
            tf.add(p)


def pack_mode(dest, path, mode):
    with tarfile.open(dest, mode=mode) as tf:
        tf.add(path)


def pack_plain(dest, path):
    with tarfile.TarFile(dest, "w") as tf:
        tf.add(path)
